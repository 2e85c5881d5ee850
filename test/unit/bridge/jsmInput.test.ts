// The pure parts behind the Service Management and forms tools: arrays of objects in tool schemas,
// request field values checked against a request type, form answers encoded by question type, and
// Service Management's error body.
import assert from 'node:assert/strict';
import { errorMessagesFrom } from '../../../src/atlassian/errors';
import { InputError, p, validate } from '../../../src/bridge/schema';
import { answerFor, type Question } from '../../../src/bridge/tools/jira/formAnswers';
import { requestFieldValues } from '../../../src/bridge/tools/jira/requestFields';

const META = {
  requestTypeFields: [
    { fieldId: 'summary', name: 'Summary', required: true, jiraSchema: { type: 'string' }, validValues: [] },
    {
      fieldId: 'priority',
      name: 'Priority',
      required: false,
      jiraSchema: { type: 'priority' },
      validValues: [
        { value: '2', label: 'High' },
        { value: '3', label: 'Medium' },
      ],
    },
    {
      fieldId: 'customfield_10050',
      name: 'Affected systems',
      required: false,
      jiraSchema: { type: 'array', items: 'option' },
      validValues: [
        { value: '10100', label: 'VPN' },
        { value: '10101', label: 'Mail' },
      ],
    },
  ],
};

const QUESTIONS: Question[] = [
  { id: '1', type: 'ts', label: 'Service' },
  {
    id: '2',
    type: 'cs',
    label: 'Impact',
    choices: [
      { id: '1', label: 'Low' },
      { id: '2', label: 'High' },
    ],
  },
  { id: '3', type: 'dt', label: 'Started' },
  { id: '4', type: 'no', label: 'Users' },
  { id: '5', type: 'at', label: 'Screenshot' },
];

describe('Service Management and forms input', () => {
  it('an array-of-objects parameter takes an array or its JSON text, and names an item that is not an object', () => {
    const params = { answers: p.objList('answers') };
    assert.deepEqual(validate({ answers: [{ a: 1 }] }, params, []).answers, [{ a: 1 }]);
    assert.deepEqual(validate({ answers: '[{"a":1}]' }, params, []).answers, [{ a: 1 }]);
    assert.throws(
      () => validate({ answers: [{ a: 1 }, 'x'] }, params, []),
      /`answers`: expected objects only \(item 1/,
    );
    assert.throws(() => validate({ answers: 42 }, params, []), /expected an array of objects/);
  });

  it('request field values: labels become ids, names find fields, unknown and missing fields are refused', () => {
    assert.deepEqual(
      requestFieldValues({ Summary: 'VPN down', priority: 'high', customfield_10050: 'vpn, Mail' }, META, 'v'),
      { summary: 'VPN down', priority: { id: '2' }, customfield_10050: [{ id: '10100' }, { id: '10101' }] },
    );
    assert.deepEqual(requestFieldValues({ summary: 'x', priority: { name: 'High' } }, META, 'v').priority, {
      name: 'High',
    });
    assert.throws(() => requestFieldValues({ summary: 'x', labels: 'a' }, META, 'v'), /no field "labels"/);
    assert.throws(() => requestFieldValues({ priority: 'High' }, META, 'v'), /Missing required.*summary \(Summary\)/);
    assert.throws(
      () => requestFieldValues({ summary: 'x', priority: 'Urgent' }, META, 'v'),
      (err: unknown) =>
        err instanceof InputError && /"Urgent" is not one of Priority's values: High, Medium/.test(err.message),
    );
  });

  it('form answers are encoded by the question type the form declares', () => {
    assert.deepEqual(answerFor({ questionId: '1', value: 'VPN' }, QUESTIONS, 'a'), {
      questionId: '1',
      answer: { text: 'VPN' },
    });
    assert.deepEqual(answerFor({ question_id: '2', type: 'TEXT', value: 'high' }, QUESTIONS, 'a').answer, {
      choices: ['2'],
    });
    assert.deepEqual(answerFor({ questionId: '3', value: '2026-11-30T08:15:00Z' }, QUESTIONS, 'a').answer, {
      date: '2026-11-30',
      time: '08:15',
    });
    assert.deepEqual(answerFor({ questionId: '4', value: 7 }, QUESTIONS, 'a').answer, { text: '7' });
    assert.throws(() => answerFor({ questionId: '2', value: ['Low', 'High'] }, QUESTIONS, 'a'), /takes one choice/);
    assert.throws(() => answerFor({ questionId: '4', value: 'many' }, QUESTIONS, 'a'), /takes a number/);
    assert.throws(() => answerFor({ questionId: '5', value: 'x.png' }, QUESTIONS, 'a'), /cannot upload into a form/);
    assert.throws(() => answerFor({ questionId: '9', value: 'x' }, QUESTIONS, 'a'), /no question "9"/);
  });

  it("Service Management's error body gives its message", () => {
    assert.deepEqual(
      errorMessagesFrom({ errorMessage: 'Summary is required.', i18nErrorMessage: { i18nKey: 'k', parameters: [] } }),
      ['Summary is required.'],
    );
  });
});

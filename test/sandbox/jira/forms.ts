// Jira Cloud's Forms REST API (forms on issues), served on the API gateway at
// /jira/forms/cloud/{cloudId} for OAuth and API tokens alike: the form index of an issue, one form
// (design with questions, state with answers) and saving answers. Errors as the Forms API gives them:
// `{ errors: [{ status, code, title, detail, context }] }`.
import express, { type Request, type Response, type Router } from 'express';
import { context, requireScope, type RequestContext } from '../context';
import { isRecord, sendJson } from './http';
import type { IssueRecord } from './model';
import { serviceDeskOfIssue } from './serviceDesk';
import type { JiraStore } from './store';

type Json = Record<string, unknown>;

interface FormRecord {
  readonly id: string;
  readonly templateId: string;
  readonly name: string;
  readonly internal: boolean;
  submitted: boolean;
  readonly lock: boolean;
  updated: number;
  readonly questions: Record<string, Json>;
  answers: Record<string, Json>;
}

const TEMPLATE_ID = '5f2b8c61-3b0e-4f7a-9a55-7c1e0d2f9a10';

/** The incident form every service desk's first requests carry: one question of each main kind. */
function incidentQuestions(): Record<string, Json> {
  return {
    '1': { type: 'ts', label: 'Affected service', validation: { rq: true } },
    '2': {
      type: 'cs',
      label: 'Impact',
      validation: { rq: true },
      choices: [
        { id: '1', label: 'Low' },
        { id: '2', label: 'Medium' },
        { id: '3', label: 'High' },
      ],
    },
    '3': { type: 'da', label: 'Started on', validation: {} },
    '4': { type: 'tl', label: 'Steps already taken', validation: {} },
    '5': {
      type: 'cm',
      label: 'Affected teams',
      validation: {},
      choices: [
        { id: '1', label: 'Sales' },
        { id: '2', label: 'Support' },
        { id: '3', label: 'Engineering' },
      ],
    },
    '6': { type: 'no', label: 'Users affected', validation: {} },
  };
}

const forms = new WeakMap<JiraStore, Map<string, FormRecord[]>>();

/** Forms by issue id, seeded on first use: the two oldest requests of each service desk carry one, the second submitted. */
function formsOf(store: JiraStore): Map<string, FormRecord[]> {
  let map = forms.get(store);
  if (map) return map;
  map = new Map();
  forms.set(store, map);
  const requests = store
    .allIssues()
    .filter((i) => serviceDeskOfIssue(store, i))
    .sort((a, b) => Number(a.id) - Number(b.id));
  const perProject = new Map<string, number>();
  let n = 0;
  for (const issue of requests) {
    const index = perProject.get(issue.projectId) ?? 0;
    if (index >= 2) continue;
    perProject.set(issue.projectId, index + 1);
    const submitted = index === 1;
    map.set(issue.id, [
      {
        id: `c18bde7a-d846-41ed-afa1-${String(++n).padStart(12, '0')}`,
        templateId: TEMPLATE_ID,
        name: 'Incident details',
        internal: submitted,
        submitted,
        lock: false,
        updated: issue.created,
        questions: incidentQuestions(),
        answers: submitted ? { '1': { text: 'VPN' }, '2': { choices: ['3'] } } : {},
      },
    ]);
  }
  return map;
}

class FormsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly context: Json[] = [],
  ) {
    super(detail);
  }
}

function formJson(form: FormRecord): Json {
  return {
    id: form.id,
    updated: new Date(form.updated).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    design: {
      conditions: {},
      layout: [{ version: 1, type: 'doc', content: [] }],
      questions: form.questions,
      sections: {},
      settings: {
        templateId: form.templateId,
        name: form.name,
        language: 'en',
        submit: { lock: form.lock, pdf: false },
      },
    },
    state: { visibility: form.internal ? 'i' : 'e', status: form.submitted ? 's' : 'o', answers: form.answers },
  };
}

/** Checks one answer against its question's kind, as the Forms API does before saving anything. */
function checkAnswer(form: FormRecord, questionId: string, answer: unknown): Json {
  const question = form.questions[questionId];
  const invalid = (detail: string) =>
    new FormsError(400, 'INVALID_ANSWER', 'Invalid Answer', detail, [
      { type: 'form', id: form.id },
      { type: 'question', id: questionId },
    ]);
  if (!question) throw invalid(`The form has no question with ID ${questionId}.`);
  if (!isRecord(answer)) throw invalid('An answer must be an object.');
  const type = String(question.type);
  const choiceIds = ((question.choices as Json[] | undefined) ?? []).map((c) => String(c.id));
  if (['cs', 'cd', 'cm', 'cl'].includes(type)) {
    const choices = answer.choices;
    if (!Array.isArray(choices) || choices.some((c) => !choiceIds.includes(String(c))))
      throw invalid('The choices are not valid for this question.');
    if ((type === 'cs' || type === 'cd') && choices.length > 1) throw invalid('This question takes one choice.');
  } else if (type === 'da' || type === 'dt') {
    if (typeof answer.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(answer.date))
      throw invalid('A date answer needs a date in the format YYYY-MM-DD.');
  } else if (type === 'no') {
    if (typeof answer.text !== 'string' || (answer.text !== '' && !Number.isFinite(Number(answer.text))))
      throw invalid('A number answer needs a number.');
  } else if (typeof answer.text !== 'string') throw invalid('A text answer needs text.');
  return answer;
}

function requireIssue(store: JiraStore, ref: string): IssueRecord {
  const issue = store.findIssue(ref);
  if (!issue)
    throw new FormsError(404, 'ISSUE_NOT_FOUND', 'Issue Not Found', 'The provided issue ID or key was not found.', [
      { type: 'issue', id: ref },
    ]);
  return issue;
}

function requireForm(store: JiraStore, issue: IssueRecord, formId: string): FormRecord {
  const form = formsOf(store)
    .get(issue.id)
    ?.find((f) => f.id === formId);
  if (!form)
    throw new FormsError(404, 'FORM_NOT_FOUND', 'Form Not Found', 'The provided form ID was not found.', [
      { type: 'issue', id: issue.id },
      { type: 'form', id: formId },
    ]);
  return form;
}

/** Mounted under /jira/forms/cloud/{cloudId} once the gateway has set the caller and site. */
export function formsRouter(storeFor: (ctx: RequestContext) => JiraStore, now: () => number): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const handle =
    (scopes: readonly string[], run: (req: Request, res: Response, store: JiraStore) => void) =>
    (req: Request, res: Response) => {
      if (!requireScope(req, res, scopes)) return;
      try {
        run(req, res, storeFor(context(res)));
      } catch (error) {
        if (!(error instanceof FormsError)) throw error;
        const { status, code, title, detail } = error;
        sendJson(res, status, { errors: [{ status, code, title, detail, context: error.context }] });
      }
    };
  const param = (req: Request, name: string) => String(req.params[name] ?? '');

  router.get(
    '/issue/:issue/form',
    handle(['read:jira-work'], (req, res, store) => {
      const issue = requireIssue(store, param(req, 'issue'));
      const index = (formsOf(store).get(issue.id) ?? []).map((f) => ({
        id: f.id,
        formTemplate: { id: f.templateId },
        internal: f.internal,
        submitted: f.submitted,
        lock: f.lock,
        name: f.name,
        updated: new Date(f.updated).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }));
      sendJson(res, 200, index);
    }),
  );
  router.get(
    '/issue/:issue/form/:form',
    handle(['read:jira-work'], (req, res, store) => {
      const issue = requireIssue(store, param(req, 'issue'));
      sendJson(res, 200, formJson(requireForm(store, issue, param(req, 'form'))));
    }),
  );
  router.put(
    '/issue/:issue/form/:form',
    handle(['write:jira-work'], (req, res, store) => {
      const issue = requireIssue(store, param(req, 'issue'));
      const form = requireForm(store, issue, param(req, 'form'));
      const body: unknown = req.body;
      if (!isRecord(body) || !isRecord(body.answers))
        throw new FormsError(400, 'INVALID_REQUEST', 'Invalid Request', 'The request must have an answers object.');
      if (form.submitted)
        throw new FormsError(
          409,
          'FORM_SUBMITTED',
          'Form Submitted',
          'The form has been submitted; reopen it before changing its answers.',
          [{ type: 'form', id: form.id }],
        );
      const checked = Object.entries(body.answers).map(([id, a]) => [id, checkAnswer(form, id, a)] as const);
      for (const [id, answer] of checked) form.answers[id] = answer;
      form.updated = now();
      sendJson(res, 200, formJson(form));
    }),
  );
  return router;
}

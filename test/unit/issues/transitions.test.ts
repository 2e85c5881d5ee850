import assert from 'node:assert/strict';
import { findTransition, givenFieldValues, type TransitionWithFields } from '../../../src/issues/transitions';

const WONT_DO: TransitionWithFields = {
  id: '51',
  name: "Won't Do",
  to: 'Done',
  required: [
    {
      id: 'resolution',
      name: 'Resolution',
      required: true,
      allowed: [
        { id: '10000', name: 'Done' },
        { id: '10003', name: 'Duplicate' },
      ],
    },
    { id: 'customfield_10200', name: 'Reason', required: true, allowed: undefined },
  ],
};

describe('transitions: values a caller gives for the screen fields', () => {
  it('takes a choice by name or id (any case) and text as is, keyed by field id or name', () => {
    assert.deepEqual(givenFieldValues(WONT_DO, { RESOLUTION: 'duplicate', reason: 'merged into ENG-2' }), {
      values: { resolution: { id: '10003' }, customfield_10200: 'merged into ENG-2' },
      missing: [],
    });
    assert.deepEqual(givenFieldValues(WONT_DO, { resolution: '10000' }).values, { resolution: { id: '10000' } });
  });

  it('passes a choice Jira did not offer by name, so Jira says what is wrong', () => {
    assert.deepEqual(givenFieldValues(WONT_DO, { resolution: 'Nonsense' }).values.resolution, { name: 'Nonsense' });
  });

  it('names the required fields still missing (absent, blank or not text): the person is asked for those', () => {
    const { values, missing } = givenFieldValues(WONT_DO, { resolution: '  ', Reason: { text: 'x' } });
    assert.deepEqual(values, {});
    assert.deepEqual(
      missing.map((f) => f.id),
      ['resolution', 'customfield_10200'],
    );
  });

  it('finds a transition by id, name or target status', () => {
    const choices = [WONT_DO, { id: '21', name: 'Start', to: 'In Progress', required: [] }];
    assert.equal(findTransition(choices, "won't do"), WONT_DO);
    assert.equal(findTransition(choices, 'in progress')?.id, '21');
    assert.equal(findTransition(choices, '51'), WONT_DO);
    assert.equal(findTransition(choices, 'Reopen'), undefined);
  });
});

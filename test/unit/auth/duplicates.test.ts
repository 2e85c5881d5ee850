import assert from 'node:assert/strict';
import { sameSiteAndAccount } from '../../../src/auth/duplicates';

interface Row {
  id: string;
  cloudId: string | undefined;
  siteUrl: string;
  jiraBaseUrl: string;
  user: { accountId: string | undefined; displayName: string; email: string | undefined };
}

const oauthAda: Row = {
  id: 'oauth:c-1:ada',
  cloudId: 'c-1',
  siteUrl: 'https://acme.atlassian.net',
  jiraBaseUrl: 'https://api.atlassian.com/ex/jira/c-1',
  user: { accountId: 'ada', displayName: 'Ada', email: 'ada@example.com' },
};
const tokenAda: Row = {
  id: 'apiToken:c-1:ada',
  cloudId: 'c-1',
  siteUrl: 'https://acme.atlassian.net',
  jiraBaseUrl: 'https://acme.atlassian.net',
  user: { accountId: 'ada', displayName: 'Ada', email: 'ada@example.com' },
};
const dcAda: Row = {
  id: 'pat:jira.example.com/jira:ada',
  cloudId: undefined,
  siteUrl: 'https://jira.example.com/jira',
  jiraBaseUrl: 'https://jira.example.com/jira',
  user: { accountId: 'JIRAUSER1', displayName: 'Ada', email: 'ada@example.com' },
};

describe('a sign-in that repeats an existing connection', () => {
  it('finds the same Cloud site and account across methods (cloud id + account id)', () => {
    assert.deepEqual(sameSiteAndAccount([oauthAda, dcAda], tokenAda), [oauthAda]);
  });

  it('is not a duplicate of itself: the same id is a reconnect', () => {
    assert.deepEqual(sameSiteAndAccount([tokenAda], tokenAda), []);
  });

  it('tells other accounts and other sites apart', () => {
    const grace = {
      ...tokenAda,
      id: 'apiToken:c-1:grace',
      user: { ...tokenAda.user, accountId: 'grace', email: 'grace@example.com' },
    };
    const otherSite = { ...tokenAda, id: 'apiToken:c-2:ada', cloudId: 'c-2', siteUrl: 'https://beta.atlassian.net' };
    assert.deepEqual(sameSiteAndAccount([oauthAda], grace), []);
    assert.deepEqual(sameSiteAndAccount([oauthAda], otherSite), []);
  });

  it('compares Data Center by base URL (case, trailing slash) and falls back to the email', () => {
    const again = {
      ...dcAda,
      id: 'pat:JIRA.example.com/jira/:ada2',
      siteUrl: 'https://JIRA.example.com/jira/',
      jiraBaseUrl: 'https://JIRA.example.com/jira/',
      user: { accountId: undefined, displayName: 'Ada', email: 'ADA@example.com ' },
    };
    assert.deepEqual(sameSiteAndAccount([dcAda, oauthAda], again), [dcAda]);
    const otherPath = {
      ...again,
      siteUrl: 'https://jira.example.com/other',
      jiraBaseUrl: 'https://jira.example.com/other',
    };
    assert.deepEqual(sameSiteAndAccount([dcAda], otherPath), []);
  });

  it('does not call two accounts the same when neither id nor email is known', () => {
    const anonymous = { ...dcAda, id: 'x', user: { accountId: undefined, displayName: 'A', email: undefined } };
    assert.deepEqual(sameSiteAndAccount([{ ...anonymous, id: 'y' }], anonymous), []);
  });
});

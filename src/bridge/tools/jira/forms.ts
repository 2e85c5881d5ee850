// Forms on Jira issues (toolset jira_forms; formerly the ProForma app): list an issue's forms, read
// one with its questions and answers, save answers. Jira Cloud's Forms API only: Data Center's
// ProForma app has an API of its own, which the bridge does not speak, and says so.
import { FormsApi, formsRoot, formsRootBesideGateway, siteCloudId } from '../../../atlassian/forms';
import { isUuid } from '../../../atlassian/ids';
import type { Json } from '../../../atlassian/jira';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { allowIssue, attempt, ISSUE_KEY } from './shared';
import { answerFor, questionView, type Question } from './formAnswers';
import { textOf } from '../../../core/text';

const FORM_ID = p.str('Form id on the issue, a UUID (see jira_get_issue_proforma_forms)');

/** Cloud ids of API-token sites that did not come with one, learnt once per Jira base URL. */
const learntCloudIds = new Map<string, Promise<string | undefined>>();

async function formsFor(ctx: ToolContext, args: Record<string, unknown>) {
  const { site, jira } = await jiraFor(ctx, args);
  if (!jira.cloud)
    throw new InputError(
      'Forms do not exist on Jira Data Center through this bridge: the Forms REST API is Jira Cloud only (on Data Center the ProForma app has its own API).',
    );
  const key = textOf(args.issue_key).trim();
  await allowIssue(ctx, jira, key);
  const beside = formsRootBesideGateway(jira.http.baseUrl);
  if (beside) return { forms: new FormsApi(jira.http, beside), key };
  let cloudId = site.spec.cloudId;
  if (!cloudId) {
    let learnt = learntCloudIds.get(jira.http.baseUrl);
    if (!learnt) {
      learnt = siteCloudId(jira.http, ctx.signal);
      learntCloudIds.set(jira.http.baseUrl, learnt);
      learnt.catch(() => learntCloudIds.delete(jira.http.baseUrl));
    }
    cloudId = await learnt;
  }
  if (!cloudId) throw new InputError(`Site ${site.name} did not say its cloud id, which the Forms API needs.`);
  // The Forms API is on the API gateway; the site's own credentials go there (an API token works).
  const root = formsRoot(ctx.config.apiBaseUrl, cloudId);
  return { forms: new FormsApi(site.jiraClientFor(root), root), key };
}

function formId(args: Record<string, unknown>): string {
  const id = textOf(args.form_id).trim();
  if (!isUuid(id))
    throw new InputError(
      `Invalid argument \`form_id\`: expected the form's UUID on the issue (see jira_get_issue_proforma_forms), got "${id}".`,
    );
  return id;
}

function statusOf(state: Json | undefined): string | undefined {
  return { o: 'open', s: 'submitted', l: 'locked' }[textOf(state?.status)] ?? (textOf(state?.status) || undefined);
}

function questionsOf(form: Json): Question[] {
  const design = (form.design as Json | undefined) ?? {};
  return Object.entries((design.questions as Record<string, Json> | undefined) ?? {}).map(([id, q]) => ({ id, ...q }));
}

function formView(form: Json): Json {
  const state = form.state as Json | undefined;
  const answers = (state?.answers as Record<string, Json> | undefined) ?? {};
  return prune({
    id: form.id,
    name: ((form.design as Json | undefined)?.settings as Json | undefined)?.name,
    status: statusOf(state),
    visibility: { i: 'internal', e: 'external' }[textOf(state?.visibility)],
    updated: shortDate(form.updated),
    questions: questionsOf(form).map((q) => questionView(q, answers[q.id])),
  });
}

export const jiraGetIssueProformaForms: ToolDef = {
  name: 'jira_get_issue_proforma_forms',
  title: 'Get Jira issue forms',
  description:
    'The forms (Jira forms, formerly ProForma) attached to an issue or service request: form id, name, open or submitted, internal or external. Jira Cloud only.',
  toolset: 'jira_forms',
  product: 'jira',
  params: { issue_key: ISSUE_KEY },
  required: ['issue_key'],
  async run(args, ctx) {
    const { forms, key } = await formsFor(ctx, args);
    const index = await attempt(`Issue ${key}`, () => forms.issueForms(key, ctx.signal));
    if (!Array.isArray(index)) throw new Error(`the Forms API answered something other than a list for ${key}`);
    return {
      key,
      forms: (index as Json[]).map((f) =>
        prune({
          id: f.id,
          name: f.name,
          status: f.submitted === true ? 'submitted' : 'open',
          locked: f.lock === true || undefined,
          visibility: f.internal === true ? 'internal' : 'external',
          template_id: textOf((f.formTemplate as Json | undefined)?.id) || undefined,
          updated: shortDate(f.updated),
        }),
      ),
    };
  },
};

export const jiraGetProformaFormDetails: ToolDef = {
  name: 'jira_get_proforma_form_details',
  title: 'Get Jira form details',
  description:
    'One form on an issue (Jira forms, formerly ProForma): its questions with their ids, types, choices and current answers, and whether it is open or submitted. Jira Cloud only.',
  toolset: 'jira_forms',
  product: 'jira',
  params: { issue_key: ISSUE_KEY, form_id: FORM_ID },
  required: ['issue_key', 'form_id'],
  async run(args, ctx) {
    const id = formId(args);
    const { forms, key } = await formsFor(ctx, args);
    return formView(await attempt(`Form ${id} on issue ${key}`, () => forms.form(key, id, ctx.signal)));
  },
};

export const jiraUpdateProformaFormAnswers: ToolDef = {
  name: 'jira_update_proforma_form_answers',
  title: 'Update Jira form answers',
  description:
    'Fill in or change answers of a form on an issue (Jira forms, formerly ProForma), by question id. Choices take their label or id; dates are YYYY-MM-DD. Replaces the answers given; others stay. Jira Cloud only.',
  toolset: 'jira_forms',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    issue_key: ISSUE_KEY,
    form_id: FORM_ID,
    answers: p.objList(
      'Answers, e.g. [{"questionId":"1","value":"VPN"},{"questionId":"2","value":["High"]}]; "type" (TEXT, NUMBER, DATE, TIME, SELECT, MULTI_SELECT, USER…) is optional',
    ),
  },
  required: ['issue_key', 'form_id', 'answers'],
  async run(args, ctx) {
    const id = formId(args);
    const given = args.answers as Json[];
    if (given.length === 0) throw new InputError('Invalid argument `answers`: the list is empty.');
    const { forms, key } = await formsFor(ctx, args);
    const form = await attempt(`Form ${id} on issue ${key}`, () => forms.form(key, id, ctx.signal));
    const questions = questionsOf(form);
    const answers: Json = {};
    given.forEach((item, i) => {
      const { questionId, answer } = answerFor(item, questions, `answers[${i}]`);
      answers[questionId] = answer;
    });
    const saved = await attempt(`Form ${id} on issue ${key}`, () => forms.saveAnswers(key, id, answers, ctx.signal));
    const view = formView(saved);
    return { ...view, questions: (view.questions as Json[]).filter((q) => textOf(q.id) in answers) };
  },
};

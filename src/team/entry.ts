// dist/team.js: the team server, a bundle of its own that dist/bridge.js loads only with `--auth oauth`
// or `team …`, so stdio and header-mode HTTP never parse it (jose, pg, prom-client, the vault).
export { createTeamAccess } from './bridgeAccess';
export { runTeamAdmin } from './admin';

// The layers of apps/api/src/modules, lowest first (docs/architecture.md, "Modules in layers").
// A module imports only modules of a lower layer; something that must flow upward (a record was
// written, a field is about to be removed) goes through an interface the lower module declares
// and the upper one registers with at start-up. To add a module, give it a layer here: a new
// feature sits in the top layer unless lower modules must use it. Checked by dependency-cruiser
// (.dependency-cruiser.cjs) and tools/check-structure.mjs, both in `npm run lint`.
const LAYERS = [
  ['audit', 'ddl', 'jobs', 'limits'], // 1: below everything but common/ and database/ (jobs: the queue, outbox, sweeper; limits: rate limits)
  ['auth'], // 2: sessions, API-token authentication, the ACL version
  ['org'], // 3: members, departments, roles, app admins
  ['access', 'tokens'], // 4: the one enforcement point of permissions; API tokens
  ['apps'], // 5: apps (named groups of entities)
  ['entities'], // 6: the metadata engine (entities, fields, compiled artefacts, design hooks)
  ['permissions'], // 7: permission-group design over an entity's fields
  ['records'], // 8: the read path and the one write pipeline, its record events
  ['computed', 'forms', 'files', 'notifications'], // 9: registered into the pipeline's stages; in-app notifications (every later feature sends them)
  ['workflows', 'automations', 'templates', 'comments', 'imports', 'views', 'dashboards', 'health', 'search'], // 10: later features
];

module.exports = { LAYERS };

import { writeFileSync } from 'node:fs';
import { buildDocumentWithoutDatabase, OPENAPI_FILE } from './document-app.js';

// `npm run openapi --workspace apps/api`: regenerates the committed openapi.json.
writeFileSync(OPENAPI_FILE, await buildDocumentWithoutDatabase());
console.log(`wrote ${OPENAPI_FILE}`);

// Rewrites media/schemas/natsflow.json from src/core/design/schema.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { designJsonSchema } from '../src/core/design/schema';

writeFileSync(join(__dirname, '..', 'media', 'schemas', 'natsflow.json'), JSON.stringify(designJsonSchema(), null, 2) + '\n');

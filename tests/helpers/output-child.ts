/**
 * A separate process that writes an output folder and is then killed or signalled, for the tests
 * of what a dying run leaves behind. Usage: output-child.ts FOLDER kill|wait
 */
import { prepareOutputFolder } from '../../src/io/output-folder.js';

const [folderPath, mode] = process.argv.slice(2);
const folder = prepareOutputFolder(folderPath, { cwd: '/' });
folder.write('report.md', '# new\n');
folder.write('layers/gp.geojson', '{"type":"FeatureCollection","features":[]}\n');
if (mode === 'kill') {
  // A crash mid-write: no handler runs, nothing is cleaned.
  process.kill(process.pid, 'SIGKILL');
} else {
  process.stdout.write('ready\n');
  // Keep the event loop alive until a signal arrives.
  setInterval(() => undefined, 1000);
}

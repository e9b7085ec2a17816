// Parses each Mermaid file named on the command line with Mermaid itself
// and prints, as JSON, what Mermaid read: the diagram type, the nodes with
// their classes and labels, the edges and the subgraphs. A label is given
// as Mermaid holds it ("text") and as a browser shows it ("shown": entity
// codes decoded, <br> as a newline). Exits 1 when a file does not parse.
//
// Mermaid needs a DOM for its sanitizer: jsdom provides one, so nothing
// here downloads or starts a browser.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// shown decodes a label as Mermaid's renderer and the browser do: Mermaid
// stores "#quot;" as "ﬂ°quot¶ß" while parsing and writes it out as
// "&quot;" (mermaidAPI's decodeEntities); the HTML parser does the rest.
function shown(text) {
  const html = String(text ?? '')
    .replace(/ﬂ°°/g, '&#')
    .replace(/ﬂ°/g, '&')
    .replace(/¶ß/g, ';')
    .replace(/<br\s*\/?>/gi, '\n');
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.textContent;
}

const reports = [];
let failed = false;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    reports.push({
      file,
      type: diagram.type,
      nodes: [...db.getVertices().values()].map((v) => ({
        id: v.id,
        text: v.text,
        shown: shown(v.text),
        shape: v.type,
        classes: v.classes,
      })),
      edges: db.getEdges().map((e) => ({ from: e.start, to: e.end, text: e.text, shown: shown(e.text), stroke: e.stroke })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, shown: shown(s.title), nodes: s.nodes })),
    });
  } catch (err) {
    failed = true;
    reports.push({ file, error: String(err?.message ?? err) });
  }
}
process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
process.exitCode = failed ? 1 : 0;

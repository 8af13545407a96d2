import type { SqlDialect } from '../../core/sql/dialect.js'
import type { Catalog } from '../catalog.js'
import { html, type SafeHtml } from '../html/html.js'
import { renderPage } from '../html/page.js'
import type { SemanticModel } from '../spec/semantic-model.js'
import { KIND_LABEL, KIND_STYLE, renderDag } from './dag-svg.js'
import { LineageBuilder, type LineageKind, type ProjectLineage } from './lineage.js'
import { type DefinitionFact, type MetricDoc, metricDocs } from './metric-docs.js'

export interface DocsSiteInput {
  readonly catalog: Catalog
  /** The transforms project (models and raw sources), possibly empty while models are written. */
  readonly project: ProjectLineage
  /** Every mart table by name (the mart contracts), so marts without a model still appear. */
  readonly marts: readonly string[]
  readonly dialects: readonly SqlDialect[]
  readonly generatedAt: Date
}

export interface DocsFile {
  /** Relative to the output folder, `/`-separated. */
  readonly path: string
  readonly content: string
}

const DIALECT_LABEL: Record<string, string> = { duckdb: 'DuckDB', athena: 'Amazon Athena (Trino)' }

/**
 * The metric catalog as static pages: `index.html` (every metric, searchable, and the project's
 * lineage graph) and `metrics/<id>.html` (definition, dimensions, SQL per engine, lineage).
 * Pages link relatively and load nothing, so the folder can be opened from disk or served anywhere.
 */
export function docsSite(input: DocsSiteInput): DocsFile[] {
  const { catalog } = input
  const docs = metricDocs(catalog, input.dialects)
  const fromIndex = new LineageBuilder(catalog, input.project, {
    metric: (id) => `metrics/${id}.html`,
    semanticModel: (name) => `#model-${name}`,
  })
  const fromMetric = new LineageBuilder(catalog, input.project, {
    metric: (id) => `${id}.html`,
    semanticModel: (name) => `../index.html#model-${name}`,
  })
  const generated = `${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  return [
    { path: 'index.html', content: indexPage(input, docs, fromIndex, generated) },
    ...docs.map((doc) => ({
      path: `metrics/${doc.metric.id}.html`,
      content: metricPage(input, doc, fromMetric, generated),
    })),
  ]
}

const STYLE = `
[hidden] { display: none !important; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 0 0 16px; position: sticky; top: 0;
  background: #fff; padding: 10px 0; border-bottom: 1px solid var(--line); z-index: 1; }
.toolbar input, .toolbar select { font: inherit; padding: 6px 10px; border: 1px solid #b9c0cc; border-radius: 5px; }
.toolbar input { flex: 1 1 320px; }
#count { color: var(--muted); font-size: 13px; }
.metric { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin: 0 0 10px; break-inside: avoid; }
.metric h3 { margin: 0; font-size: 16px; display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.metric h3 a { text-decoration: none; }
.badges { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.badge { font-size: 11px; font-weight: 600; border-radius: 10px; padding: 1px 8px; background: var(--soft);
  border: 1px solid var(--line); color: var(--muted); }
.badge.certified { background: #e8f4ec; border-color: #9fd0b2; color: #1f6b41; }
.badge.draft { background: #fff5e0; border-color: #e8c77d; color: #8a5a00; }
.badge.deprecated { background: #fbe9e7; border-color: #e9a69e; color: #9c2b20; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 8px 0; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.chips { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.chip { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; background: var(--soft);
  border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
.metric p.more { margin: 2px 0 0; font-size: 12.5px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 6px 0; }
.legend span::before { content: ''; display: inline-block; width: 12px; height: 10px; margin-right: 5px; border-radius: 2px;
  border: 1.2px solid var(--stroke); background: var(--fill); vertical-align: -1px; }
.legend span.unmodelled::before { border-style: dashed; background: #fff; }
.dag-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
svg.dag { display: block; max-width: none; }
svg.dag a:hover rect { stroke-width: 2.2; }
.crumbs { font-size: 13px; margin: 0 0 12px; }
section.model { border-top: 1px solid var(--line); padding-top: 10px; margin-bottom: 18px; }
@media print {
  .toolbar { display: none; }
  .dag-wrap { overflow: visible; border: none; }
  svg.dag { max-width: 100%; height: auto; }
  section { break-before: auto; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
}
`

const SEARCH_SCRIPT = `
(function () {
  var search = document.getElementById('search');
  var owner = document.getElementById('owner');
  var count = document.getElementById('count');
  var none = document.getElementById('no-match');
  var cards = Array.prototype.slice.call(document.querySelectorAll('[data-metric]'));
  function apply() {
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var who = owner.value;
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute('data-search');
      var match = terms.every(function (t) { return text.indexOf(t) >= 0; }) &&
        (!who || card.getAttribute('data-owner') === who);
      card.hidden = !match;
      if (match) shown++;
    });
    count.textContent = shown + ' of ' + cards.length + ' metrics';
    none.hidden = shown > 0;
  }
  search.addEventListener('input', apply);
  owner.addEventListener('change', apply);
  apply();
})();
`

function indexPage(
  input: DocsSiteInput,
  docs: readonly MetricDoc[],
  lineage: LineageBuilder,
  generated: string,
): string {
  const { catalog } = input
  const owners = [...new Set(docs.map((d) => d.metric.owner))].sort()
  const readTables = [...new Set(catalog.models.map((m) => m.table))].sort()
  const modelled = readTables.filter((t) => lineage.modelled(t))
  const body = html`<main>
<header>
<h1>Metric catalog</h1>
<p class="subtitle">${docs.length} governed metrics over ${catalog.models.length} semantic models · reporting currency ${catalog.config.reportingCurrency} · generated ${generated}</p>
</header>
<div class="toolbar">
<input id="search" type="search" placeholder="Search by id, owner or any text (e.g. churn, finance, trailing)" aria-label="Search metrics" autocomplete="off">
<select id="owner" aria-label="Owner"><option value="">All owners</option>${owners.map(
    (o) => html`<option value="${o}">${o.replaceAll('_', ' ')}</option>`,
  )}</select>
<span id="count" aria-live="polite">${docs.length} of ${docs.length} metrics</span>
</div>
<section id="metrics" class="first">
${docs.map((d) => metricCard(catalog, d, lineage))}
<p id="no-match" class="note" hidden>No metric matches the search.</p>
</section>
<section id="lineage">
<header><h2>Lineage</h2>
<p class="lead">Raw source entities → staging → intermediate → marts (the transforms registry, <code>transforms/models/index.ts</code>) → the semantic models every metric reads. ${lineageNote(
    input.project,
    readTables,
    modelled,
  )}</p></header>
${legend()}
<div class="dag-wrap">${renderDag(lineage.project(input.marts), {
    id: 'project-lineage',
    description: 'Lineage of the project: raw sources, models, marts and semantic models.',
  })}</div>
</section>
<section id="semantic-models">
<header><h2>Semantic models</h2><p class="lead">Each semantic model describes one mart: its entities (join keys), dimensions, time dimensions and measures.</p></header>
${catalog.models.map((m) => semanticModelSection(m, docs))}
</section>
<footer>Generated by <code>revops docs</code> from the definitions in <code>semantic/metrics/</code> and <code>semantic/models/</code>. Every page opens offline.</footer>
</main>`
  return renderPage({ title: 'Metric catalog', body, style: STYLE, script: SEARCH_SCRIPT })
}

function lineageNote(
  project: ProjectLineage,
  readTables: readonly string[],
  modelled: readonly string[],
): string {
  if (project.models.length === 0)
    return 'The transforms registry lists no models yet, so lineage stops at the mart tables (dashed) the semantic layer reads.'
  if (modelled.length < readTables.length)
    return `${modelled.length} of the ${readTables.length} mart tables the semantic layer reads are built by registered models; lineage of the others (dashed) stops at the mart.`
  return 'Every mart the semantic layer reads is built by a registered model.'
}

function legend(): SafeHtml {
  const kinds: LineageKind[] = ['source', 'staging', 'intermediate', 'marts', 'semantic_model', 'metric']
  return html`<div class="legend">${kinds.map(
    (k) =>
      html`<span style="--fill:${KIND_STYLE[k].fill};--stroke:${KIND_STYLE[k].stroke}">${KIND_LABEL[k]}</span>`,
  )}<span class="unmodelled" style="--stroke:${KIND_STYLE.marts.stroke}">Mart not yet built by a model</span></div>`
}

function metricCard(catalog: Catalog, doc: MetricDoc, lineage: LineageBuilder): SafeHtml {
  const m = doc.metric
  const search = [
    m.id,
    m.label,
    m.owner,
    m.owner.replaceAll('_', ' '),
    m.status,
    m.unit,
    m.type,
    m.policy ?? '',
    m.description,
    ...doc.facts.flatMap((f) => f.parts.map((p) => p.text)),
    ...doc.dimensions.map((d) => d.name),
  ]
    .join(' ')
    .toLowerCase()
  return html`<article class="metric" id="${m.id}" data-metric="${m.id}" data-owner="${m.owner}" data-search="${search}">
<h3><a href="metrics/${m.id}.html">${m.label}</a> <code>${m.id}</code> ${badges(doc)}</h3>
<p>${m.description}</p>
${facts(doc.facts, [
  [
    'Dimensions',
    doc.dimensions.length
      ? chips(
          doc.dimensions.map((d) => d.name),
          (n) => doc.dimensions.find((d) => d.name === n)?.description ?? '',
        )
      : 'none: by period only',
  ],
  ['Lineage', lineageLine(catalog, doc, lineage)],
])}
<p class="more"><a href="metrics/${m.id}.html">SQL for DuckDB and Athena, lineage graph →</a></p>
</article>`
}

function badges(doc: MetricDoc): SafeHtml {
  const m = doc.metric
  return html`<span class="badges"><span class="badge ${m.status}" data-field="status">${m.status}</span><span class="badge" data-field="owner">${m.owner.replaceAll('_', ' ')}</span><span class="badge" data-field="unit">${m.unit.replaceAll('_', ' ')}</span><span class="badge" data-field="version">v${m.version}</span>${
    m.policy ? html`<span class="badge" data-field="policy">${m.policy}</span>` : ''
  }</span>`
}

function facts(
  list: readonly DefinitionFact[],
  extra: readonly [string, SafeHtml | string][] = [],
): SafeHtml {
  return html`<dl class="facts">${list.map(
    (f) =>
      html`<dt>${f.term}</dt><dd>${f.parts.map((p) => (p.code ? html`<code>${p.text}</code>` : p.text))}</dd>`,
  )}${extra.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`
}

function chips(names: readonly string[], title?: (n: string) => string): SafeHtml {
  if (names.length === 0) return html``
  return html`<span class="chips">${names.map((n) => html`<span class="chip" title="${title?.(n) ?? ''}">${n}</span>`)}</span>`
}

function lineageLine(catalog: Catalog, doc: MetricDoc, lineage: LineageBuilder): SafeHtml {
  const tables = [...new Set(doc.semanticModels.map((s) => catalog.model(s).table))].sort()
  const sources = lineage.sourcesOf(doc.metric.id)
  const unmodelled = tables.filter((t) => !lineage.modelled(t))
  return html`${chips(sources.length ? sources : [])}${sources.length ? ' → ' : ''}${chips(tables)} → ${chips(
    doc.semanticModels,
  )}${unmodelled.length ? html` <span class="note">(no model builds ${unmodelled.join(', ')} yet)</span>` : ''}`
}

function metricPage(
  input: DocsSiteInput,
  doc: MetricDoc,
  lineage: LineageBuilder,
  generated: string,
): string {
  const m = doc.metric
  const graph = lineage.metric(m.id)
  const sources = lineage.sourcesOf(m.id)
  const tables = [...new Set(doc.semanticModels.map((s) => input.catalog.model(s).table))].sort()
  const unmodelled = tables.filter((t) => !lineage.modelled(t))
  const link = (id: string) => html`<a href="${id}.html"><code>${id}</code></a>`
  const list = (ids: readonly string[]) =>
    ids.length ? ids.map((id, i) => html`${i ? ', ' : ''}${link(id)}`) : html`<span class="note">none</span>`
  const body = html`<main>
<p class="crumbs"><a href="../index.html">← Metric catalog</a></p>
<header>
<h1>${m.label}</h1>
<p class="subtitle"><code>${m.id}</code> ${badges(doc)}</p>
</header>
<p>${m.description}</p>
<section class="first" id="definition">
<header><h2>Definition</h2></header>
${facts(doc.facts, [
  ['Type', doc.typeLabel],
  ['Owner', m.owner.replaceAll('_', ' ')],
  ['Status', m.status],
  ['Unit', m.unit.replaceAll('_', ' ')],
  ['Version', m.version],
  ['Policy', m.policy ?? 'none'],
  ['Empty periods', m.fill === 'zero' ? '0' : 'empty (unknown), never 0'],
  ['Depends on', html`${list(doc.dependsOn)}`],
  ['Used by', html`${list(doc.usedBy)}`],
  [
    'Governed view',
    m.status === 'deprecated'
      ? 'none (deprecated)'
      : html`<code>metrics.${m.id}</code> by month${
          m.viewDimensions.length ? html` and ${chips(m.viewDimensions)}` : ''
        }`,
  ],
])}
</section>
<section id="dimensions">
<header><h2>Dimensions</h2><p class="lead">What <code>revops query ${m.id} --by &lt;dimension&gt;</code> and <code>--where</code> accept.</p></header>
${
  doc.dimensions.length
    ? html`<div class="data-block compact"><div class="table-wrap"><table data-table="dimensions"><thead><tr><th scope="col">Dimension</th><th scope="col" class="text">Meaning</th></tr></thead><tbody>${doc.dimensions.map(
        (d) =>
          html`<tr><th scope="row"><code>${d.name}</code></th><td class="text">${d.description}</td></tr>`,
      )}</tbody></table></div></div>`
    : html`<p class="note">None: this metric is answered by period only.</p>`
}
</section>
<section id="lineage">
<header><h2>Lineage</h2><p class="lead">${
    sources.length
      ? `Read from the raw source entities ${sources.join(', ')}.`
      : 'No raw source entity is reachable yet.'
  } ${unmodelled.length ? `The mart${unmodelled.length > 1 ? 's' : ''} ${unmodelled.join(', ')} ${unmodelled.length > 1 ? 'are' : 'is'} not built by a model of the transforms registry yet, so lineage stops there (dashed).` : ''}</p></header>
${legend()}
<div class="dag-wrap">${renderDag(graph, { id: `lineage-${m.id}`, description: `Lineage of ${m.id}` })}</div>
</section>
<section id="sql">
<header><h2>SQL</h2><p class="lead">The query the semantic layer runs for <code>revops query ${m.id} --grain month</code> (every period, environment prod), compiled for each engine. Filters and a time range add parameters.</p></header>
${doc.sql.map(
  (s) =>
    html`<h3>${DIALECT_LABEL[s.dialect] ?? s.dialect}</h3>${
      s.sql
        ? html`<pre data-sql="${s.dialect}"><code>${s.sql}</code></pre>`
        : html`<p class="note" data-sql="${s.dialect}">Does not compile for ${s.dialect}: ${s.error ?? ''}</p>`
    }`,
)}
</section>
<footer>Generated ${generated} by <code>revops docs</code>.</footer>
</main>`
  return renderPage({ title: `${m.label} (${m.id}) · Metric catalog`, body, style: STYLE })
}

function semanticModelSection(model: SemanticModel, docs: readonly MetricDoc[]): SafeHtml {
  const readers = docs.filter((d) => d.semanticModels.includes(model.name)).map((d) => d.metric.id)
  return html`<section class="model" id="model-${model.name}">
<h3><code>${model.name}</code> <span class="note">reads the mart <code>${model.table}</code></span></h3>
<p>${model.description}</p>
<dl class="facts">
<dt>Entities</dt><dd>${chips(model.entities.map((e) => `${e.name} (${e.type}: ${e.column})`))}</dd>
<dt>Dimensions</dt><dd>${chips(
    [
      ...model.dimensions.map((d) => d.name),
      ...model.timeDimensions.map((t) => `${t.name} (time, ${t.grain})`),
    ],
    (n) => model.dimensions.find((d) => d.name === n)?.description ?? '',
  )}</dd>
<dt>Measures</dt><dd>${
    model.measures.length
      ? model.measures.map(
          (m, i) =>
            html`${i ? html`<br>` : ''}<code>${m.name}</code> — ${m.agg}${m.column ? ` of ${m.column}` : ''}: ${m.description}`,
        )
      : html`<span class="note">none</span>`
  }</dd>
<dt>Metrics</dt><dd>${
    readers.length
      ? readers.map((id, i) => html`${i ? ', ' : ''}<a href="metrics/${id}.html"><code>${id}</code></a>`)
      : html`<span class="note">none</span>`
  }</dd>
</dl>
</section>`
}

// The dashboard: experiments, live charts of the selected experiment, K-step evaluations overlaid, and the lineage
// of a buffered instance. Plain DOM (textContent only: names and labels are data, never markup).
import { ApiError, apiKey, getJson, setApiKey, takeFragment } from './api.js';
import { PALETTE, SINGLE_COLOR, STEP_KIND_COLORS, barChart, lineChart } from './charts.js';

const LIVE_EVERY_MS = 5000;
const EVALUATIONS_EVERY_MS = 15000;
const MAX_DEFAULT_EVALUATIONS = 8;
const STEP_KINDS = Object.keys(STEP_KIND_COLORS);

const state = {
  experiments: [],
  selected: null, // experiment id
  history: [], // HistoryPoint[], ascending by policy version
  historyOf: null, // the experiment the history belongs to
  evaluations: [], // [{view, experimentName}]
  summaries: new Map(), // evaluation id -> EvaluationSummary
  chosenEvaluations: null, // Set of ids the user ticked; null = default choice
  instance: null, // instance id whose lineage is shown
};

// --- small DOM helpers

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function row(cells, numericFrom = Infinity) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => {
    if (c instanceof Node) {
      const td = document.createElement('td');
      td.appendChild(c);
      tr.appendChild(td);
    } else {
      tr.appendChild(el('td', c, i >= numericFrom ? 'num' : undefined));
    }
  });
  return tr;
}

function fmt(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function setStatus(text, isError = false) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function reportError(e) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    setStatus(apiKey() ? `The key was refused (${e.status}): enter another one.` : 'This gateway needs an API key.', true);
  } else {
    setStatus(String(e.message || e), true);
  }
}

// --- experiments

async function loadExperiments() {
  const experiments = await getJson('/api/experiments');
  experiments.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  state.experiments = experiments;
  if (!state.selected || !experiments.some((x) => x.id === state.selected)) {
    const running = experiments.find((x) => x.status === 'RUNNING');
    state.selected = (running || experiments[0] || {}).id || null;
  }
  const body = document.querySelector('#experiments tbody');
  body.replaceChildren(
    ...experiments.map((x) => {
      const tr = row([x.name, x.status, x.domain, x.preset, x.policyVersion, shortTime(x.createdAt), x.id]);
      tr.dataset.id = x.id;
      if (x.id === state.selected) {
        tr.classList.add('selected');
      }
      tr.addEventListener('click', () => select(x.id));
      return tr;
    }),
  );
}

function shortTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

async function select(id) {
  state.selected = id;
  state.instance = null;
  document.querySelectorAll('#experiments tbody tr').forEach((tr) => {
    tr.classList.toggle('selected', tr.dataset.id === id);
  });
  await refreshLive();
}

// --- live charts of the selected experiment

async function refreshLive() {
  const id = state.selected;
  const experiment = state.experiments.find((x) => x.id === id);
  document.getElementById('selected-name').textContent = experiment ? `${experiment.name} (${id})` : 'no experiment';
  if (!id) {
    return;
  }
  if (state.historyOf !== id) {
    state.history = [];
    state.historyOf = id;
  }
  // Ask again from the last version we have: its point may still be growing.
  const last = state.history.length ? state.history[state.history.length - 1].policyVersion : null;
  const [fresh, progress, stats, top] = await Promise.all([
    getJson(`/api/experiments/${id}/history` + (last === null ? '' : `?fromVersion=${last}`)),
    getJson(`/api/experiments/${id}/progress`).catch((e) => {
      // The progress endpoint may be missing on an older task-service: the page shows what the rest gives.
      if (e instanceof ApiError && e.status === 404) {
        return null;
      }
      throw e;
    }),
    getJson(`/api/experiments/${id}/buffer/stats`),
    getJson(`/api/experiments/${id}/buffer/top?limit=15`),
  ]);
  if (state.selected !== id) {
    return; // the user picked another experiment meanwhile
  }
  const kept = state.history.filter((p) => last === null || p.policyVersion < last);
  state.history = kept.concat(fresh);
  renderSummary(experiment, progress, stats);
  renderLiveCharts(progress, stats);
  renderBufferTop(top);
  if (state.instance === null && top.length) {
    // The deepest of the best-scoring instances: the longest chain of iterates to look at.
    state.instance = top.reduce((best, item) => (item.depth > best.depth ? item : best), top[0]).id;
    renderBufferTop(top);
  }
  if (state.instance !== null) {
    await showLineage(state.instance);
  }
}

function renderSummary(experiment, progress, stats) {
  const items = [
    ['Status', progress ? progress.status : experiment && experiment.status],
    ['Policy version', progress ? progress.policyVersion : experiment && experiment.policyVersion],
    ['Buffer', `${stats.size} / ${stats.capacity}`],
    ['Mean depth', fmt(stats.meanDepth, 2)],
    ['Instances', stats.totalInstances],
  ];
  if (progress) {
    items.push(
      ['Iteration', progress.iteration],
      ['Tokens generated', progress.tokensGenerated],
      ['Tokens trained', progress.tokensTrained],
      ['Queue', progress.queueDepth],
      ['Rollout tok/s', fmt(progress.rolloutTokensPerSecond, 1)],
      ['Train tok/s', fmt(progress.trainTokensPerSecond, 1)],
    );
    if (progress.fractionDone !== null && progress.fractionDone !== undefined) {
      items.push(['Done', `${(100 * progress.fractionDone).toFixed(1)} %`]);
    }
    if (progress.etaSeconds !== null && progress.etaSeconds !== undefined) {
      items.push(['ETA', `${Math.round(progress.etaSeconds / 60)} min`]);
    }
  }
  document.getElementById('summary').replaceChildren(
    ...items.map(([k, v]) => {
      const div = el('div');
      div.append(el('dt', k), el('dd', v));
      return div;
    }),
  );
}

function byStepKind(field) {
  return STEP_KINDS.map((kind) => ({
    label: kind,
    color: STEP_KIND_COLORS[kind],
    points: state.history
      .filter((p) => p[field] && p[field][kind] !== undefined && p[field][kind] !== null)
      .map((p) => ({ x: p.policyVersion, y: p[field][kind] })),
  })).filter((s) => s.points.length);
}

function renderLiveCharts(progress, stats) {
  const h = state.history;
  lineChart('chart-reward', 'policy version', 'mean reward', byStepKind('meanRewardByStepKind'));
  lineChart('chart-quality', 'policy version', 'mean quality', byStepKind('meanQualityByStepKind'), {
    min: 0,
    max: 1,
  });
  lineChart('chart-buffer', 'policy version', 'instances', [
    { label: 'buffer size', color: SINGLE_COLOR, points: h.map((p) => ({ x: p.policyVersion, y: p.bufferSize })) },
  ]);
  // The buffer's depth histogram now (progress gives it as a map, buffer/stats as a list: same numbers).
  const depths = progress && progress.depthHistogram
    ? Object.entries(progress.depthHistogram).map(([d, c]) => ({ depth: Number(d), count: c }))
    : stats.depthHistogram;
  depths.sort((a, b) => a.depth - b.depth);
  barChart(
    'chart-depth',
    'depth k',
    'buffered instances',
    'instances',
    depths.map((d) => String(d.depth)),
    depths.map((d) => d.count),
    SINGLE_COLOR,
  );
  const t0 = h.length ? Date.parse(h[0].firstSubmitAt) : 0;
  lineChart('chart-version', 'minutes since the first submit', 'policy version', [
    {
      label: 'policy version',
      color: SINGLE_COLOR,
      points: h.map((p) => ({ x: (Date.parse(p.lastSubmitAt) - t0) / 60000, y: p.policyVersion })),
    },
  ], { beginAtZero: true, ticks: { precision: 0 } }, false);
  lineChart('chart-tokens', 'policy version', 'tokens / s', [
    {
      label: 'rollout tokens/s',
      color: SINGLE_COLOR,
      points: h.filter((p) => p.tokensPerSecond !== null).map((p) => ({ x: p.policyVersion, y: p.tokensPerSecond })),
    },
  ], { beginAtZero: true });
}

// --- evaluations of every experiment, overlaid

async function refreshEvaluations() {
  const lists = await Promise.all(
    state.experiments.map((x) =>
      getJson(`/api/experiments/${x.id}/evaluations`).then((views) => views.map((view) => ({ view, name: x.name }))),
    ),
  );
  const all = lists.flat().sort((a, b) => String(b.view.createdAt).localeCompare(String(a.view.createdAt)));
  state.evaluations = all;
  const chosen = chosenEvaluations();
  // Completed summaries do not change: fetch each once; running ones every time.
  await Promise.all(
    all
      .filter((e) => chosen.has(e.view.id))
      .filter((e) => e.view.status !== 'COMPLETED' || !state.summaries.has(e.view.id))
      .map((e) => getJson(`/api/evaluations/${e.view.id}`).then((s) => state.summaries.set(e.view.id, s))),
  );
  renderEvaluations();
}

function chosenEvaluations() {
  if (state.chosenEvaluations) {
    return state.chosenEvaluations;
  }
  const done = state.evaluations.filter((e) => e.view.status === 'COMPLETED').slice(0, MAX_DEFAULT_EVALUATIONS);
  return new Set(done.map((e) => e.view.id));
}

function renderEvaluations() {
  const chosen = chosenEvaluations();
  const body = document.querySelector('#evaluations tbody');
  body.replaceChildren(
    ...state.evaluations.map((e) => {
      const box = el('input');
      box.type = 'checkbox';
      box.checked = chosen.has(e.view.id);
      box.addEventListener('change', () => {
        const next = new Set(chosenEvaluations());
        if (box.checked) {
          next.add(e.view.id);
        } else {
          next.delete(e.view.id);
        }
        state.chosenEvaluations = next;
        refreshEvaluations().catch(reportError);
      });
      const summary = state.summaries.get(e.view.id);
      return row(
        [box, e.name, e.view.label || '', e.view.policyVersion, e.view.steps, e.view.status,
          fmt(summary ? summary.deltaK : null)],
        3,
      );
    }),
  );
  const series = state.evaluations
    .filter((e) => chosen.has(e.view.id) && state.summaries.has(e.view.id))
    .map((e, i) => ({
      label: `${e.name} · ${e.view.label || 'v' + e.view.policyVersion}`,
      color: PALETTE[i % PALETTE.length],
      points: state.summaries.get(e.view.id).perStep.map((s) => ({ x: s.step, y: s.meanQuality })),
    }));
  lineChart('chart-evaluations', 'step k', 'mean quality (avg@n)', series, { min: 0, max: 1 });
}

// --- lineage

function renderBufferTop(top) {
  const body = document.querySelector('#buffer-top tbody');
  body.replaceChildren(
    ...top.map((item) => {
      const tr = row([item.id, item.depth, fmt(item.score, 4), fmt(item.quality), item.createdBy || '',
        item.timesSampled], 1);
      tr.dataset.id = String(item.id);
      if (item.id === state.instance) {
        tr.classList.add('selected');
      }
      tr.addEventListener('click', () => {
        state.instance = item.id;
        body.querySelectorAll('tr').forEach((r) => r.classList.toggle('selected', r === tr));
        showLineage(item.id).catch(reportError);
      });
      return tr;
    }),
  );
}

async function showLineage(instanceId) {
  const lineage = await getJson(`/api/experiments/${state.selected}/instances/${instanceId}/lineage?maxDescendants=200`);
  const nodes = [...lineage.ancestors, lineage.instance, ...lineage.descendants];
  const children = new Map();
  nodes.forEach((n) => {
    const key = n.parentId === null ? 'root' : n.parentId;
    if (!children.has(key)) {
      children.set(key, []);
    }
    children.get(key).push(n);
  });
  const root = lineage.ancestors.length ? lineage.ancestors[0] : lineage.instance;
  const tree = document.getElementById('lineage');
  tree.replaceChildren(renderNode(root, children, instanceId));
  tree.dataset.nodes = String(nodes.length);
  document.getElementById('lineage-title').textContent =
    `Instance ${instanceId}: ${lineage.ancestors.length} ancestors, ${lineage.descendants.length} descendants` +
    (lineage.descendantsTruncated ? ' (truncated)' : '');
}

function renderNode(node, children, focus) {
  const li = el('li');
  li.dataset.id = String(node.id);
  if (node.id === focus) {
    li.classList.add('focus');
  }
  if (node.inBuffer) {
    li.classList.add('buffered');
  }
  const made = node.createdBy ? ` ${node.createdBy}` : ' base task';
  li.appendChild(el('span', `#${node.id} depth ${node.depth}${made} · score ${fmt(node.score, 4)} · quality ${fmt(node.quality)}`));
  const kids = (children.get(node.id) || []).filter((k) => k.id !== node.id);
  if (kids.length) {
    const ul = el('ul');
    kids.sort((a, b) => a.id - b.id).forEach((k) => ul.appendChild(renderNode(k, children, focus)));
    li.appendChild(ul);
  }
  return li;
}

// --- wiring

async function refreshAll() {
  try {
    await loadExperiments();
    await Promise.all([refreshLive(), refreshEvaluations()]);
    setStatus(`Updated ${new Date().toLocaleTimeString()}`);
    document.body.dataset.loaded = 'true';
  } catch (e) {
    reportError(e);
  }
}

function wireKeyForm() {
  const input = document.getElementById('key-input');
  document.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    input.value = '';
    refreshAll();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    setApiKey('');
    setStatus('Key forgotten.');
  });
}

const params = takeFragment();
state.selected = params.get('experiment');
wireKeyForm();
refreshAll();
setInterval(() => {
  loadExperiments()
    .then(refreshLive)
    .then(() => setStatus(`Updated ${new Date().toLocaleTimeString()}`))
    .catch(reportError);
}, LIVE_EVERY_MS);
setInterval(() => refreshEvaluations().catch(reportError), EVALUATIONS_EVERY_MS);

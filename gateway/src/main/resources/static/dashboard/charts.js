// Thin helpers over chart.js (loaded as the global Chart from its WebJar). Every chart also reports on its <figure>
// what it draws: data-points (points with a value), data-colors (colours of the series that have points) and
// data-rect (the canvas's x,y,width,height in page pixels). The end-to-end test reads these from the DOM to find
// the chart in its screenshot and check the series' pixels are there. The legend is HTML under the canvas, so the
// canvas holds the series' colours only where there is data.

export const STEP_KIND_COLORS = {
  SOLVE: '#1f77b4',
  IMPROVE: '#d62728',
  DIVERGE: '#2ca02c',
  DEBUG: '#9467bd',
};
export const SINGLE_COLOR = '#ff7f0e';
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

const charts = new Map();

function baseOptions(xTitle, yTitle, extra = {}) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    plugins: { legend: { display: false } },
    scales: {
      x: { type: 'linear', title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle }, ...extra.y },
    },
  };
}

/**
 * A line chart (x, y points) in figure #id; series: [{label, color, points:[{x, y}]}]. integerX: x is a count
 * (policy version, step), so ticks fall on whole numbers.
 */
export function lineChart(id, xTitle, yTitle, series, yOptions = {}, integerX = true) {
  const datasets = series.map((s) => ({
    label: s.label,
    data: s.points,
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: 2,
    pointRadius: 3,
    tension: 0,
  }));
  const options = baseOptions(xTitle, yTitle, { y: yOptions });
  if (integerX) {
    options.scales.x.ticks = { precision: 0 };
  }
  draw(id, 'line', { datasets }, options, series);
}

/** A bar chart in figure #id: labels and one series of values. */
export function barChart(id, xTitle, yTitle, label, labels, values, color) {
  const data = { labels, datasets: [{ label, data: values, backgroundColor: color, borderColor: color }] };
  const options = baseOptions(xTitle, yTitle, { y: { beginAtZero: true } });
  options.parsing = true;
  options.scales.x = { type: 'category', title: { display: true, text: xTitle } };
  draw(id, 'bar', data, options, [{ color, points: values }]);
}

function draw(id, type, data, options, series) {
  const figure = document.getElementById(id);
  let chart = charts.get(id);
  if (chart && chart.config.type === type) {
    chart.data = data;
    chart.options = options;
    chart.update('none');
  } else {
    if (chart) {
      chart.destroy();
    }
    chart = new Chart(figure.querySelector('canvas'), { type, data, options });
    charts.set(id, chart);
  }
  const drawn = series.filter((s) => s.points.some((p) => isValue(p)));
  renderLegend(figure, data.datasets);
  figure.dataset.points = String(drawn.reduce((n, s) => n + s.points.filter((p) => isValue(p)).length, 0));
  figure.dataset.colors = drawn.map((s) => s.color).join(',');
  reportRect(figure);
}

/** One swatch and label per dataset, after the canvas (colours set through the CSSOM, which the CSP allows). */
function renderLegend(figure, datasets) {
  let legend = figure.querySelector('ul.legend');
  if (!legend) {
    legend = document.createElement('ul');
    legend.className = 'legend';
    figure.appendChild(legend);
  }
  legend.replaceChildren(
    ...datasets.map((d) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = d.borderColor;
      li.append(swatch, document.createTextNode(d.label));
      return li;
    }),
  );
}

function isValue(p) {
  const v = typeof p === 'object' && p !== null ? p.y : p;
  return v !== null && v !== undefined && Number.isFinite(v);
}

/** Records where the canvas is on the page (CSS pixels; the screenshot is taken at device scale 1). */
export function reportRect(figure) {
  const r = figure.querySelector('canvas').getBoundingClientRect();
  const x = Math.round(r.left + window.scrollX);
  const y = Math.round(r.top + window.scrollY);
  figure.dataset.rect = `${x},${y},${Math.round(r.width)},${Math.round(r.height)}`;
}

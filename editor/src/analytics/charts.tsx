import { memo } from 'react';

const WIDTH = 640;
const HEIGHT = 180;
const PAD = 28;

/** One line per series over the same x positions (days). */
export const TimeSeriesChart = memo(function TimeSeriesChart({
  labels,
  series,
  title,
}: {
  labels: string[];
  series: Array<{ name: string; color: string; values: number[] }>;
  title: string;
}) {
  const max = Math.max(1, ...series.flatMap((line) => line.values));
  const x = (index: number) =>
    PAD + (labels.length <= 1 ? 0 : (index * (WIDTH - 2 * PAD)) / (labels.length - 1));
  const y = (value: number) => HEIGHT - PAD - (value / max) * (HEIGHT - 2 * PAD);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} className="chart-axis" />
        <text x={4} y={PAD} className="chart-label">
          {max}
        </text>
        {series.map((line) => (
          <polyline
            key={line.name}
            fill="none"
            stroke={line.color}
            strokeWidth={2}
            points={line.values.map((value, index) => `${x(index)},${y(value)}`).join(' ')}
          />
        ))}
        {labels.length > 0 && (
          <>
            <text x={PAD} y={HEIGHT - 8} className="chart-label">
              {labels[0]}
            </text>
            <text x={WIDTH - PAD} y={HEIGHT - 8} textAnchor="end" className="chart-label">
              {labels.at(-1)}
            </text>
          </>
        )}
      </svg>
      <div className="chart-legend">
        {series.map((line) => (
          <span key={line.name} style={{ color: line.color }}>
            ■ {line.name}
          </span>
        ))}
      </div>
    </figure>
  );
});

export const BarChart = memo(function BarChart({
  bars,
  title,
}: {
  bars: Array<{ label: string; value: number }>;
  title: string;
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 22;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${Math.max(rowHeight, bars.length * rowHeight)}`}
        role="img"
        aria-label={title}
      >
        {bars.map((bar, index) => (
          <g key={bar.label} transform={`translate(0 ${index * rowHeight})`} data-bar={bar.label}>
            <text x={0} y={15} className="chart-label">
              {bar.label}
            </text>
            <rect x={210} y={4} height={14} width={(bar.value / max) * (WIDTH - 260)} className="chart-bar" />
            <text x={216 + (bar.value / max) * (WIDTH - 260)} y={15} className="chart-label">
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
});

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** Rows Monday first; the API's rows are Sunday first (0 = Sunday). */
const API_ROW = [1, 2, 3, 4, 5, 6, 0];

export const Heatmap = memo(function Heatmap({ cells, title }: { cells: number[][]; title: string }) {
  const max = Math.max(1, ...cells.flat());
  const size = 22;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${40 + 24 * size} ${20 + 7 * size}`} role="img" aria-label={title}>
        {Array.from({ length: 24 }, (_, hour) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the hour is the label's identity
          <text key={hour} x={40 + hour * size + 4} y={12} className="chart-label">
            {hour % 3 === 0 ? hour : ''}
          </text>
        ))}
        {API_ROW.map((apiDay, row) => (
          <g key={apiDay} transform={`translate(0 ${20 + row * size})`}>
            <text x={0} y={15} className="chart-label">
              {DAYS[row]}
            </text>
            {(cells[apiDay] ?? []).map((count, hour) => (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: the hour is the cell's identity
                key={hour}
                x={40 + hour * size}
                width={size - 2}
                height={size - 2}
                fill={`rgba(37, 99, 235, ${count === 0 ? 0.04 : 0.15 + (0.85 * count) / max})`}
                data-cell={`${DAYS[row]}-${hour}`}
                data-count={count}
              >
                <title>{`${DAYS[row]} ${hour}:00 — ${count} inbound`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
    </figure>
  );
});

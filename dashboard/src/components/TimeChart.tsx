import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface Series {
  key: string;
  label: string;
  color: string;
}

const hhmm = (t: number) => new Date(t * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** A small line chart over time (`t` in epoch seconds) for one or a few series. */
export function TimeChart({
  data,
  series,
  format,
  testId,
  domain,
  tick = hhmm,
}: {
  data: Record<string, number | null>[];
  series: Series[];
  format: (v: number) => string;
  testId: string;
  /** Y range; by default from 0 to the data's maximum. */
  domain?: [number, number | ((dataMax: number) => number)];
  /** The time axis' labels (and the tooltip's); by default hh:mm. */
  tick?: (t: number) => string;
}) {
  return (
    <div className="chart" data-testid={testId} data-points={data.filter((d) => series.some((s) => d[s.key])).length}>
      <ResponsiveContainer width="100%" height={160} initialDimension={{ width: 320, height: 160 }}>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="t" tickFormatter={tick} minTickGap={40} fontSize={11} />
          <YAxis tickFormatter={format} width={56} fontSize={11} domain={domain ?? [0, 'auto']} />
          <Tooltip labelFormatter={(t) => tick(Number(t))} formatter={(v) => format(Number(v))} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} dot={false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

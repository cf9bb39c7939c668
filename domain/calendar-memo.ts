/**
 * A sweep asks the calendar the same few questions for every ticket (T-5 of the same due date,
 * working days since the same day…): 100,000 tickets share a few hundred due dates. Answers are
 * pure, so they are cached for the life of one sweep. Hot path: nested maps and no closures per
 * call (no key strings to build, nothing to allocate on a hit).
 */
import type { WorkCalendar } from './calendar.ts';

type Table<V> = Map<string, Map<string | number, V>>;

function lookup<V>(table: Table<V>, a: string, b: string | number): V | undefined {
  return table.get(a)?.get(b);
}

function store<V>(table: Table<V>, a: string, b: string | number, v: V): V {
  let inner = table.get(a);
  if (!inner) {
    inner = new Map();
    table.set(a, inner);
  }
  inner.set(b, v);
  return v;
}

export function memoCalendar(cal: WorkCalendar): WorkCalendar {
  const workday = new Map<string, boolean>();
  const added: Table<string> = new Map();
  const between: Table<number> = new Map();
  const addWorkdays = (d: string, n: number): string => lookup(added, d, n) ?? store(added, d, n, cal.addWorkdays(d, n));
  return {
    isWorkday(d) {
      let v = workday.get(d);
      if (v === undefined) {
        v = cal.isWorkday(d);
        workday.set(d, v);
      }
      return v;
    },
    describeDay: (d) => cal.describeDay(d),
    addWorkdays,
    workdaysBetween: (a, b) => lookup(between, a, b) ?? store(between, a, b, cal.workdaysBetween(a, b)),
    nextWorkday: (d) => addWorkdays(d, 1),
    previousWorkday: (d) => addWorkdays(d, -1),
    knowsYear: (y) => cal.knowsYear(y),
  };
}

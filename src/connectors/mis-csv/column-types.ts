import { normalizeMarkValue, parseAttendanceCode } from '../../model';

/** How a CSV cell becomes a canonical value. `undefined` = empty cell; throws a Russian message. */
export type ColumnType = 'text' | 'id' | 'date' | 'int' | 'number' | 'bool' | 'grades' | 'time' | 'mark' | 'attendance' | 'snils';

const RU_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

export class CellError extends Error {}

/** Parses one cell. Dates: `YYYY-MM-DD` or `ДД.ММ.ГГГГ` (Excel); decimals with `,` or `.`. */
export function parseCell(type: ColumnType, raw: string): unknown {
  const v = raw.trim();
  if (v === '') return undefined;
  switch (type) {
    case 'text':
    case 'id':
    case 'snils':
      return v;
    case 'date': {
      const m = RU_DATE.exec(v);
      return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : v;
    }
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw new CellError(`ожидается целое число, получено «${v}»`);
      return Number(v);
    }
    case 'number': {
      const n = Number(v.replace(',', '.'));
      if (!Number.isFinite(n)) throw new CellError(`ожидается число, получено «${v}»`);
      return n;
    }
    case 'bool': {
      const b = v.toLocaleLowerCase('ru-RU');
      if (['да', '1', 'true', 'истина', 'yes'].includes(b)) return true;
      if (['нет', '0', 'false', 'ложь', 'no'].includes(b)) return false;
      throw new CellError(`ожидается «да» или «нет», получено «${v}»`);
    }
    case 'grades': {
      const out = new Set<number>();
      for (const part of v.split(/[,;\s]+/).filter(Boolean)) {
        const range = /^(\d{1,2})\s*[-–]\s*(\d{1,2})$/.exec(part);
        if (range) for (let g = Number(range[1]); g <= Number(range[2]); g++) out.add(g);
        else if (/^\d{1,2}$/.test(part)) out.add(Number(part));
        else throw new CellError(`ожидается список классов (например, 2-9 или 10,11), получено «${v}»`);
      }
      return [...out].sort((a, b) => a - b);
    }
    case 'time': {
      const m = /^(\d{1,2}):(\d{2})$/.exec(v);
      if (!m) throw new CellError(`ожидается время ЧЧ:ММ, получено «${v}»`);
      return `${m[1].padStart(2, '0')}:${m[2]}`;
    }
    case 'mark': {
      const mark = normalizeMarkValue(v);
      if (mark === null) throw new CellError(`неизвестное значение отметки «${v}»`);
      return mark;
    }
    case 'attendance': {
      const status = parseAttendanceCode(v);
      if (status === null) throw new CellError(`неизвестный код посещаемости «${v}»`);
      return status;
    }
  }
}

import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** A column of a report table: Russian header and how to get the cell from a row. */
export interface TableColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Column width in characters (XLSX). @defaultValue 16 */
  width?: number;
}

export type TableFormat = 'csv' | 'xlsx';

/** `report.xlsx` → xlsx; anything else → csv. */
export function tableFormatOf(file: string): TableFormat {
  return file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

/**
 * Writes a table as CSV (UTF-8 with BOM, `;`-separated: opens in Russian Excel as is) or XLSX
 * (streamed, frozen header row, autofilter). Rows are an iterable so big reports stream.
 */
export async function writeTableFile<T>(file: string, sheetName: string, columns: readonly TableColumn<T>[], rows: Iterable<T>): Promise<void> {
  if (tableFormatOf(file) === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
    const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? null)).commit();
    sheet.commit();
    await workbook.commit();
    return;
  }
  const out = createWriteStream(file);
  const csv = stringify({ delimiter: ';', bom: true, record_delimiter: 'windows' });
  csv.pipe(out);
  csv.write(columns.map((c) => c.header));
  for (const row of rows) {
    if (!csv.write(columns.map((c) => String(c.value(row) ?? '')))) await new Promise((r) => csv.once('drain', r));
  }
  csv.end();
  await finished(out);
}

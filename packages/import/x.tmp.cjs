const ExcelJS = require('exceljs');
const fs = require('fs');
(async () => {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: '/tmp/impt/a.xlsx', useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Data');
  ws.mergeCells('A1:C1');
  ws.getCell('A1').value = 'Title';
  ws.addRow(['Name', 'Date', 'Serial', 'Rich', 'F']).commit();
  const r = ws.addRow([
    'a',
    new Date(Date.UTC(2026, 2, 1)),
    46082,
    { richText: [{ text: 'he' }, { font: { bold: true }, text: 'llo' }] },
    { formula: 'C3+1', result: 46083 },
  ]);
  r.getCell(2).numFmt = 'yyyy-mm-dd';
  r.commit();
  const r2 = ws.addRow(['b', new Date(Date.UTC(1900, 0, 15)), 10, 'x', { formula: 'A4', result: 'b' }]);
  r2.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
  r2.commit();
  await ws.commit();
  await wb.commit();
  const rd = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream('/tmp/impt/a.xlsx'), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of rd) {
    console.log('sheet', sheet.id, sheet.name, rd.model && rd.model.sheets);
    for await (const row of sheet) {
      const out = [];
      row.eachCell({ includeEmpty: false }, (c, col) => out.push([col, c.value, c.numFmt, c.type]));
      console.log(row.number, JSON.stringify(out));
    }
  }
})();

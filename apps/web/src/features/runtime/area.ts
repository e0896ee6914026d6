// The staff runtime's chunk: an entity's records and a record (the app home has a chunk of its own, home.ts).
export { RecordDrawer } from './components/RecordDrawer';
export { RecordFormDrawer } from './components/RecordFormDrawer';
export { RecordsPage } from './components/RecordsPage';
export { RecordPrintPage } from './components/record/RecordPrintPage';
export { RecycleBinPage } from './components/bin/RecycleBinPage';

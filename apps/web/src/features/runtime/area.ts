// The staff runtime's chunk: an app's home, its records and a record.
export { AppHome } from './components/AppHome';
export { RecordDrawer } from './components/RecordDrawer';
export { RecordFormDrawer } from './components/RecordFormDrawer';
export { RecordsPage } from './components/RecordsPage';
export { RecordPrintPage } from './components/record/RecordPrintPage';
export { RecycleBinPage } from './components/bin/RecycleBinPage';

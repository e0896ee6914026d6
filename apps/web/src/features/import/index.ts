// Import (CSV and .xlsx) and export of an entity's records: the wizard and the records page's entry point.
export { ImportExportActions, type ExportView } from './components/ImportExportActions';

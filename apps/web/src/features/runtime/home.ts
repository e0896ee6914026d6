// The app home's own chunk: the first page a member opens loads without the records, forms and rules code of the runtime area.
export { AppHome } from './components/AppHome';

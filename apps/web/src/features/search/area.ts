// The search results page's chunk (the header box lives in the shell).
export { SearchPage } from './SearchPage';

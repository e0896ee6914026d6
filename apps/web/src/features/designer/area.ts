// The form designer's chunk (dnd-kit, @rjsf and the field-type settings panels load only here).
export { DesignerPage } from './components/DesignerPage';

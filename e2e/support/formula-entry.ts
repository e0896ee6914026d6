// Browser entry of the formula equivalence test: the rules package's own parser, printer and
// evaluator, bundled by Vite exactly as the web app would include them.
import { runFormulaCase, type FormulaCase } from '../../packages/rules/src/testing/formula-cases';

(globalThis as unknown as { runFormulaCases: (cases: FormulaCase[]) => unknown[] }).runFormulaCases = (cases) => cases.map(runFormulaCase);

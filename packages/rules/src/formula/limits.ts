/** Size limits of formulas (design time) and of their evaluation (run time). */
export const FORMULA_LIMITS = {
  /** Characters of formula text. */
  maxLength: 4000,
  /** Nesting of operators and function calls. */
  maxDepth: 32,
  /** Nodes of the AST: operations, field references and literals. */
  maxNodes: 500,
  /** Characters of any text a formula builds or reads. */
  maxTextLength: 100_000,
  /** Items of any list a formula builds or reads (SPLIT results, subform columns). */
  maxListLength: 10_000,
  /** Work units of one evaluation: one per operation plus one per character or item it handles. */
  maxSteps: 1_000_000,
  /** Characters of a TEXT format. */
  maxFormatLength: 100,
} as const;

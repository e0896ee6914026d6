import { NODE_TYPES, type Locale, type WorkflowNode } from '@crm/workflow';

/** The UI language as the workflow package's message locale. */
export function localeOf(language: string): Locale {
  return language === 'en' ? 'en' : 'zh-CN';
}

/** What a node is called on the canvas: its name, else its type's label. */
export function nodeTitle(node: Pick<WorkflowNode, 'name' | 'type'> | undefined, language: string): string {
  if (!node) return '?';
  return node.name?.trim() || NODE_TYPES[node.type]?.label[localeOf(language)] || node.type;
}

import type { Issue } from '@crm/schema';

/** Removes the parts of a raw definition that the issues point at (a field's settings, a validation, a layout slot, a section rule). */
export function dropProblemParts(raw: Record<string, any>, issues: Issue[]): Record<string, any> {
  const out = structuredClone(raw ?? {});
  const dropValidations = new Set<number>();
  for (const { path } of issues) {
    const seg = path.split('/').slice(1);
    if (seg[0] === 'fields' && seg[1] !== undefined && out.fields) delete out.fields[seg[1].replace(/~1/g, '/').replace(/~0/g, '~')];
    else if (seg[0] === 'validations' && seg[1] !== undefined) dropValidations.add(Number(seg[1]));
    else if (seg[0] === 'layout') {
      const ruleAt = seg.indexOf('visibleWhen');
      const target = ruleAt > 0 ? seg.slice(0, ruleAt) : seg.slice(0, seg[seg.length - 1] === 'key' ? -1 : seg.length);
      let parent: any = out;
      for (const s of target.slice(0, -1)) parent = parent?.[s];
      const last = target[target.length - 1];
      if (ruleAt > 0) delete parent?.[last]?.visibleWhen;
      else if (Array.isArray(parent)) parent[Number(last)] = null;
    } else if (seg.length === 0 || seg[0] === 'submitHint' || seg[0] === 'hiddenFieldPolicy') delete out[seg[0] ?? ''];
  }
  if (Array.isArray(out.validations)) out.validations = out.validations.filter((_: unknown, i: number) => !dropValidations.has(i));
  const compactLayout = (nodes: any[]): any[] =>
    nodes
      .filter((n) => n !== null)
      .map((n) =>
        n?.type === 'section' && Array.isArray(n.children)
          ? { ...n, children: compactLayout(n.children) }
          : n?.type === 'tabs' && Array.isArray(n.tabs)
            ? { ...n, tabs: n.tabs.map((t: any) => ({ ...t, children: Array.isArray(t?.children) ? compactLayout(t.children) : [] })) }
            : n,
      );
  if (Array.isArray(out.layout)) out.layout = compactLayout(out.layout);
  return out;
}

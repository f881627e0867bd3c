// The evaluation figures a model card reports: the retrieval evaluations (evaluate domain: kNN accuracy at 1/5/20,
// recall at 1/5/10, mAP against a label) of embeddings made with this run's encoder at this checkpoint, each beside
// the same figure of the random-encoder baseline when the evaluation had one (DESIGN §6). The newest evaluation per
// label counts. Label names are kept only when they are short words (a label is a CSV column or a DICOM keyword).
import type { EvalResult, EvaluationFigure } from '../../contract/types.js';

const WORD = /^[A-Za-z0-9 _.:()+-]{1,48}$/;

export function evaluationFigures(results: readonly EvalResult[], run: number, step: number): EvaluationFigure[] {
  const newest = new Map<string, EvalResult>();
  for (const r of results) {
    if (r.model.source !== 'run' || r.model.runId !== run || r.model.step !== step) continue;
    const seen = newest.get(r.label);
    if (!seen || r.at > seen.at) newest.set(r.label, r);
  }
  const out: EvaluationFigure[] = [];
  for (const r of [...newest.values()].sort((a, b) => a.label.localeCompare(b.label))) {
    const label = WORD.test(r.label) ? r.label : undefined;
    const f = r.figures;
    const b = r.baseline?.figures;
    const detail = `${f.queries} labelled series, ${f.classes} classes; box ${r.model.box.join('x')}${r.baseline ? `; baseline: random encoder, BN statistics ${r.baseline.bnStatistics}` : ''}; ${r.at}`;
    const add = (metric: string, value: number | undefined, base: number | undefined) => {
      if (value === undefined || !Number.isFinite(value)) return;
      out.push({ metric, value, ...(label ? { label } : {}), ...(base !== undefined && Number.isFinite(base) ? { baseline: base } : {}), detail });
    };
    for (const k of Object.keys(f.knn)) add(`kNN accuracy@${k}`, f.knn[k], b?.knn[k]);
    for (const k of Object.keys(f.recall)) add(`recall@${k}`, f.recall[k], b?.recall[k]);
    add('mAP', f.mAP, b?.mAP);
  }
  return out;
}

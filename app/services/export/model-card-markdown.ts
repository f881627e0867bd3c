// The model card as Markdown (model-card.md beside model-card.json): the same facts, for people. Every value comes
// from the JSON card; Markdown special characters in free text (run names) are escaped.
import type { ModelCard } from './model-card.js';

const esc = (s: string): string => s.replace(/([\\`*_[\]<>|])/g, '\\$1');
const code = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
const mb = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function table(rows: [string, string][]): string[] {
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)];
}

export function renderModelCardMarkdown(c: ModelCard): string {
  const a = c.architecture;
  const out: string[] = [`# ${esc(c.name)}`, ''];
  out.push(
    `A ${a.family} encoder pretrained with BYOL self-supervised learning in Voxelbase ${c.voxelbaseVersion}. ` +
      `It maps a preprocessed volume to a ${a.featureDim}-dimensional feature vector.`,
    '',
  );
  out.push('## Load the weights', '');
  if (c.loading.length) {
    out.push('```python', ...c.loading, '```', '');
    out.push(
      'Without MONAI or the `safetensors` package, `examples/finetune_monai.py` in the Voxelbase repository defines the same ' +
        'network in plain PyTorch, reads safetensors itself, and fine-tunes it with a classification head on NIfTI files.',
      '',
    );
  } else {
    out.push('MONAI\'s ResNet cannot express this encoder (see the notes); use the ONNX model.', '');
  }
  out.push(
    'ONNX (inference, BatchNorm folded): `onnxruntime.InferenceSession("encoder.onnx").run(["embedding"], {"image": x})`.',
    '',
  );
  out.push('## Architecture', '');
  out.push(
    ...table([
      ['family', esc(a.family)],
      ['block, layers', `${a.block}, ${code(a.layers)}`],
      ['block_inplanes', code(a.blockInplanes)],
      ['input channels', String(a.inChannels)],
      ['conv1', `${a.conv1.kernel}³ kernel, stride ${a.conv1.stride}`],
      ['max pool after conv1', a.maxPool ? 'yes' : 'no'],
      ['shortcut', `type ${a.shortcutType}${a.shortcutType === 'B' ? `, bias ${a.biasDownsample ? 'yes' : 'no'}` : ''}`],
      ['normalisation', a.norm],
      ['feature dimension', String(a.featureDim)],
      ['parameters', a.parameters.toLocaleString('en-US')],
      ['MONAI', a.monai ? `${code(`monai.networks.nets.${a.monai.call}`)}` : 'not expressible'],
      ['key names', c.keys === 'monai' ? 'MONAI' : 'MedicalNet (`module.` prefix)'],
    ]),
    '',
  );
  const i = c.input;
  out.push('## Input', '');
  out.push(
    ...table([
      ['tensor', `${i.tensor}, ${i.dtype}`],
      ['box (D, H, W voxels)', code(i.box)],
      ['voxel spacing (mm, D, H, W)', code(i.spacingMm)],
      ['orientation', esc(i.orientation)],
      ['axes', esc(i.axes)],
      ['intensity', code(i.intensity)],
    ]),
    '',
  );
  out.push('## Output', '', `\`${c.output.name}\` ${code(c.output.shape)}: ${c.output.meaning}.`, '');
  out.push('## Training', '');
  out.push(
    ...table([
      ['run', `${c.run.id} ${esc(c.run.name)} (${c.run.state}), step ${c.run.step} of ${c.run.totalSteps}`],
      ['checkpoint', `step ${c.run.checkpoint.step} (${esc(c.run.checkpoint.file)})`],
      ['started / ended', `${c.run.createdAt} / ${c.run.endedAt ?? '-'}`],
      ...Object.entries(c.training).map(([k, v]): [string, string] => [esc(k), code(v)]),
      ['execution provider', esc(c.compute.provider)],
      ['hardware', esc(`${c.compute.hardware.cpu}${c.compute.hardware.gpu ? `, ${c.compute.hardware.gpu}` : ''}, ${c.compute.hardware.threads} threads`)],
    ]),
    '',
  );
  out.push('## Training data', '');
  if (c.data) {
    const d = c.data;
    out.push(
      `${d.series} series${d.skipped ? ` (${d.skipped} of the cohort skipped as unusable)` : ''}; fingerprint of the preprocessed data \`${d.fingerprint}\`` +
        (d.cohort ? `; cohort of ${d.cohort.members} series, content fingerprint \`${d.cohort.fingerprint}\`` : '') +
        '. Counts and hashes only: no patient data, names, identifiers or paths are part of this export.',
      '',
    );
  } else {
    out.push('Not recorded.', '');
  }
  out.push('## Evaluation', '');
  if (c.evaluation.length) {
    out.push('| metric | value | random-init baseline | label |', '| --- | --- | --- | --- |');
    const n = (v: number | undefined) => (v === undefined ? '-' : String(Number(v.toFixed(4))));
    for (const e of c.evaluation) out.push(`| ${esc(e.metric)} | ${n(e.value)} | ${n(e.baseline)} | ${esc(e.label ?? '-')} |`);
    out.push('');
  } else {
    out.push('No evaluation figures recorded for this run.', '');
  }
  if (c.verification) {
    out.push(`The ONNX model was checked against the unfolded encoder on ${c.verification.input}: largest difference ${c.verification.maxRelDiff.toExponential(2)} of the largest feature.`, '');
  }
  out.push('## Files', '', '| file | size | SHA-256 | content |', '| --- | --- | --- | --- |');
  for (const f of c.files) out.push(`| ${f.name} | ${mb(f.bytes)} | \`${f.sha256}\` | ${f.content} |`);
  out.push('', '## Notes', '', ...c.notes.map((n) => `- ${n}`), '');
  out.push('## Licence', '', esc(c.licence), '');
  out.push(`Made ${c.createdAt} by Voxelbase ${c.voxelbaseVersion}.`, '');
  return out.join('\n');
}

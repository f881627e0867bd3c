// monaiStateDict: the encoder's tensors become MONAI's state dict (float32, num_batches_tracked int64 scalars,
// optional MedicalNet prefix) and anything that does not fit the architecture is refused with the key named;
// monaiConstructor spells out the call, and refuses GroupNorm encoders that MONAI cannot express.
import { describe, expect, it } from 'vitest';
import { buildTrainStep, initParams, resnetPreset, type ResNetConfig, type TensorData } from '../../../../../native-models/index.js';
import { monaiConstructor, monaiStateDict } from '../../../../../app/services/export/monai-state-dict.js';
import { ExportError } from '../../../../../app/services/export/errors.js';

function encoder(cfg: ResNetConfig): Record<string, TensorData> {
  const step = { encoder: cfg, heads: { projHidden: 8, projOut: 4, predHidden: 8 }, optimizer: { type: 'sgd' as const, momentum: 0.9 }, batch: 2, inputShape: [1, 16, 16, 16] as [number, number, number, number] };
  const p = initParams(buildTrainStep(step).specs, 1);
  const out: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(p)) {
    if (!k.startsWith('online.encoder.')) continue;
    const key = k.slice('online.encoder.'.length);
    out[key] = v;
    if (key.endsWith('running_mean')) out[key.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([4n]) };
  }
  return out;
}

const cfg = resnetPreset(10, { widths: [4, 4, 8, 8] });

describe('monaiStateDict', () => {
  it('keeps every key, float32 tensors and int64 scalar counters', () => {
    const enc = encoder(cfg);
    const sd = monaiStateDict(cfg, enc);
    expect(Object.keys(sd).sort()).toEqual(Object.keys(enc).sort());
    expect(sd['layer3.0.downsample.0.bias'].dims).toEqual([8]);
    expect(sd['bn1.num_batches_tracked']).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.from([4n]) });
    for (const [k, t] of Object.entries(sd)) if (!k.endsWith('num_batches_tracked')) expect(t.dtype, k).toBe('float32');
  });

  it('casts float64 weights to float32 and accepts a [1]-shaped float counter', () => {
    const enc = encoder(cfg);
    enc['conv1.weight'] = { dtype: 'float64', dims: enc['conv1.weight'].dims, data: Float64Array.from(enc['conv1.weight'].data as Float32Array) };
    enc['bn1.num_batches_tracked'] = { dtype: 'float32', dims: [1], data: Float32Array.from([12]) };
    const sd = monaiStateDict(cfg, enc);
    expect(sd['conv1.weight'].dtype).toBe('float32');
    expect(Array.from(sd['conv1.weight'].data as Float32Array)).toEqual(Array.from(encoder(cfg)['conv1.weight'].data as Float32Array));
    expect(sd['bn1.num_batches_tracked']).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.from([12n]) });
  });

  it('adds MedicalNet\'s module. prefix', () => {
    const sd = monaiStateDict(cfg, encoder(cfg), 'medicalnet');
    expect(Object.keys(sd).every((k) => k.startsWith('module.'))).toBe(true);
    expect(sd['module.layer1.0.conv1.weight'].dims).toEqual([4, 4, 3, 3, 3]);
  });

  it('refuses a missing tensor, a wrong shape, a missing counter and a key MONAI does not have, naming it', () => {
    const missing = encoder(cfg);
    delete missing['layer3.0.bn2.running_var'];
    expect(() => monaiStateDict(cfg, missing, 'monai', 'run 3')).toThrow(/run 3 does not fit the architecture.*layer3\.0\.bn2\.running_var/);
    const shape = encoder(cfg);
    shape['layer1.0.conv2.weight'] = { ...shape['layer1.0.conv2.weight'], dims: [4, 4, 1, 9, 3] };
    expect(() => monaiStateDict(cfg, shape)).toThrow(/layer1\.0\.conv2\.weight/);
    const counter = encoder(cfg);
    delete counter['layer4.0.downsample.1.num_batches_tracked'];
    expect(() => monaiStateDict(cfg, counter)).toThrow(/layer4\.0\.downsample\.1\.num_batches_tracked/);
    const extra = encoder(cfg);
    extra['fc.weight'] = { dtype: 'float32', dims: [2, 8], data: new Float32Array(16) };
    expect(() => monaiStateDict(cfg, extra)).toThrow(ExportError);
    expect(() => monaiStateDict(cfg, extra)).toThrow(/fc\.weight/);
    // Weights of shortcut B handed to a shortcut-A architecture: the downsample tensors are extra.
    expect(() => monaiStateDict({ ...cfg, shortcut: 'A' }, encoder(cfg))).toThrow(/downsample/);
  });
});

describe('monaiConstructor', () => {
  it('spells out every argument that differs from MONAI\'s defaults', () => {
    const c = monaiConstructor(resnetPreset(50, { shortcut: 'A', biasDownsample: false }));
    expect(c.call).toBe("ResNet(block='bottleneck', layers=[3, 4, 6, 3], block_inplanes=[64, 128, 256, 512], spatial_dims=3, n_input_channels=1, conv1_t_size=7, conv1_t_stride=2, no_max_pool=False, shortcut_type='A', feed_forward=False, bias_downsample=False)");
    expect(c.kwargs.conv1_t_stride).toBe(2);
  });

  it('refuses GroupNorm + weight standardisation', () => {
    expect(() => monaiConstructor(resnetPreset(18, { norm: { kind: 'group', groups: 8 } }))).toThrow(/group norm.*ONNX/);
  });
});

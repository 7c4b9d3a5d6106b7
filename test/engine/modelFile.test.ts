import { describe, expect, it } from 'vitest';
import {
  MODEL_FORMAT,
  ModelFileError,
  base64Length,
  base64ToFloat32,
  decodeBase64,
  encodeBase64,
  float32ToBase64,
  parseModel,
  serializeModel,
  validateTrainConfig,
  type ModelFileErrorKind,
  type SerializableNetwork,
} from '../../src/engine/modelFile.ts';
import { DEFAULT_CONFIG, LIMITS, type TrainConfig } from '../../src/engine/types.ts';

/** A tiny deterministic generator for test data (mulberry32), independent of the engine's Rng. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SMALL: TrainConfig = { ...DEFAULT_CONFIG, inputSize: 6, hidden: [5, 4], outputSize: 3, seed: 42 };

/** A plain-data network of the config's shape with random weights (stands in for Network here). */
function fakeNet(config: TrainConfig, seed = 7): SerializableNetwork {
  const rand = prng(seed);
  const sizes = [config.inputSize, ...config.hidden, config.outputSize];
  return {
    layers: sizes.slice(0, -1).map((inSize, i) => {
      const outSize = sizes[i + 1];
      return {
        inSize,
        outSize,
        activation: i === sizes.length - 2 ? ('softmax' as const) : config.activation,
        weights: Float32Array.from({ length: inSize * outSize }, () => (rand() - 0.5) * 2),
        biases: Float32Array.from({ length: outSize }, () => rand() - 0.5),
      };
    }),
  };
}

function expectModelError(
  fn: () => unknown,
  kind: ModelFileErrorKind,
  pathOrMessage?: RegExp,
): ModelFileError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ModelFileError);
  const err = caught as ModelFileError;
  expect(err.kind, err.message).toBe(kind);
  if (pathOrMessage) expect(err.message).toMatch(pathOrMessage);
  return err;
}

/** A valid file as a mutable object, for building broken variants. */
function validFileObject(): Record<string, unknown> & {
  config: Record<string, unknown>;
  layers: Record<string, unknown>[];
} {
  return JSON.parse(serializeModel(fakeNet(SMALL), SMALL, { training: { epochs: 2, steps: 10 } }));
}

describe('base64', () => {
  it('matches Node Buffer for every length 0..40 and random bytes', () => {
    const rand = prng(1);
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(text.length).toBe(base64Length(n));
      expect(Array.from(decodeBase64(text, n))).toEqual(Array.from(bytes));
    }
  });

  it('round-trips a large buffer (chunked encoding)', () => {
    const rand = prng(2);
    const bytes = Uint8Array.from({ length: 200_003 }, () => Math.floor(rand() * 256));
    const text = encodeBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(decodeBase64(text, bytes.length)).toEqual(bytes);
  });

  it('rejects wrong lengths, foreign characters and bad padding', () => {
    expectModelError(() => decodeBase64('AAAA', 4), 'bad-base64', /expected 8 base64 characters/);
    expectModelError(
      () => decodeBase64('AA A', 3),
      'bad-base64',
      /invalid base64 character " " at position 2/,
    );
    expectModelError(() => decodeBase64('AA-_', 3), 'bad-base64', /invalid base64 character "-"/);
    expectModelError(() => decodeBase64('AAé=', 2), 'bad-base64', /invalid base64 character "é"/);
    expectModelError(() => decodeBase64('AAAA', 1), 'bad-base64', /"==" padding/);
    expectModelError(() => decodeBase64('AAA=', 1), 'bad-base64', /"==" padding/);
    expectModelError(() => decodeBase64('AAAA', 2), 'bad-base64', /"=" padding/);
  });

  it('stores Float32 little-endian, bit-exact (−0, subnormals, extremes)', () => {
    const values = new Float32Array([
      0,
      -0,
      1,
      -1.5,
      1e-45,
      3.4028234663852886e38,
      -1.1754943508222875e-38,
      Math.PI,
    ]);
    const text = float32ToBase64(values);
    const bytes = Buffer.from(text, 'base64');
    for (let i = 0; i < values.length; i++) expect(bytes.readFloatLE(i * 4)).toBe(values[i]);
    const back = base64ToFloat32(text, values.length);
    expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(values.buffer));
    expect(Object.is(back[1], -0)).toBe(true);
  });

  it('rejects NaN and ±Infinity, naming the first bad index', () => {
    const bytes = Buffer.alloc(12);
    bytes.writeFloatLE(1, 0);
    bytes.writeFloatLE(Infinity, 4);
    bytes.writeFloatLE(NaN, 8);
    expectModelError(
      () => base64ToFloat32(bytes.toString('base64'), 3, 'w'),
      'non-finite',
      /^w: value \[1\] is Infinity/,
    );
    bytes.writeFloatLE(2, 4);
    expectModelError(() => base64ToFloat32(bytes.toString('base64'), 3), 'non-finite', /value \[2\] is NaN/);
  });
});

describe('serializeModel / parseModel', () => {
  it('round-trips config, training info and every parameter bit for bit', () => {
    const net = fakeNet(SMALL);
    const text = serializeModel(net, SMALL, { training: { epochs: 3, steps: 120, testAccuracy: 0.91 } });
    const parsed = parseModel(text);
    expect(parsed.config).toEqual(SMALL);
    expect(parsed.training).toEqual({ epochs: 3, steps: 120, testAccuracy: 0.91 });
    expect(parsed.params.weights).toHaveLength(3);
    net.layers.forEach((layer, i) => {
      expect(parsed.params.weights[i]).toEqual(layer.weights);
      expect(parsed.params.biases[i]).toEqual(layer.biases);
      // Fresh arrays the caller owns, not views into the network.
      expect(parsed.params.weights[i].buffer).not.toBe(layer.weights.buffer);
    });
  });

  it('writes a batch of the whole training split as "all" and reads it back', () => {
    const config = { ...SMALL, batchSize: LIMITS.maxBatchSize };
    const text = serializeModel(fakeNet(config), config);
    expect(JSON.parse(text).config.batchSize).toBe('all');
    expect(parseModel(text).config.batchSize).toBe(LIMITS.maxBatchSize);
    const other = serializeModel(fakeNet(SMALL), { ...SMALL, batchSize: 4096 });
    expect(JSON.parse(other).config.batchSize).toBe(4096);
  });

  it('writes the documented layout', () => {
    const net = fakeNet(SMALL);
    const file = JSON.parse(serializeModel(net, SMALL));
    expect(file.format).toBe(MODEL_FORMAT);
    expect(file.version).toBe(1);
    expect(file.training).toBeUndefined();
    expect(Object.keys(file.config).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    expect(
      file.layers.map((l: { inSize: number; outSize: number; activation: string }) => [
        l.inSize,
        l.outSize,
        l.activation,
      ]),
    ).toEqual([
      [6, 5, 'relu'],
      [5, 4, 'relu'],
      [4, 3, 'softmax'],
    ]);
    // weights are [out, in] row-major: element (o, i) at o·in + i, little-endian float32.
    const w1 = Buffer.from(file.layers[1].weights, 'base64');
    expect(w1.length).toBe(5 * 4 * 4);
    expect(w1.readFloatLE((2 * 5 + 3) * 4)).toBe(net.layers[1].weights[2 * 5 + 3]);
  });

  it('round-trips a network without hidden layers and every activation', () => {
    for (const activation of ['relu', 'leaky-relu', 'sigmoid', 'tanh'] as const) {
      for (const hidden of [[], [3]]) {
        const config = { ...SMALL, activation, hidden };
        const net = fakeNet(config);
        const parsed = parseModel(serializeModel(net, config));
        expect(parsed.config).toEqual(config);
        expect(parsed.params.weights.map((w) => w.length)).toEqual(net.layers.map((l) => l.weights.length));
      }
    }
  });

  it('refuses to save a diverged network or one that does not match its config', () => {
    const net = fakeNet(SMALL);
    (net.layers[1].weights as Float32Array)[3] = NaN;
    expectModelError(
      () => serializeModel(net, SMALL),
      'non-finite',
      /layers\[1\]\.weights: value \[3\] is NaN/,
    );
    expectModelError(
      () => serializeModel(fakeNet(SMALL), { ...SMALL, hidden: [5] }),
      'shape-mismatch',
      /layers/,
    );
    expectModelError(
      () => serializeModel(fakeNet(SMALL), { ...SMALL, hidden: [5, 7] }),
      'shape-mismatch',
      /5→4/,
    );
    expectModelError(
      () => serializeModel(fakeNet(SMALL), { ...SMALL, learningRate: -1 }),
      'invalid-field',
      /learningRate/,
    );
  });
});

describe('parseModel rejects bad files with a clear error', () => {
  it('not JSON, HTML, not an object', () => {
    expectModelError(() => parseModel('{"format": "backprop-lab-model",'), 'not-json', /not valid JSON/);
    expectModelError(() => parseModel(''), 'not-json');
    expectModelError(
      () => parseModel('<!DOCTYPE html><html><body>Not found</body></html>'),
      'not-json',
      /HTML/,
    );
    expectModelError(() => parseModel('[1,2,3]'), 'wrong-format', /expected a JSON object, got an array/);
    expectModelError(() => parseModel('null'), 'wrong-format');
    expectModelError(() => parseModel(42 as unknown as string), 'not-json');
  });

  it('wrong format tag (and recognises a TF.js model.json)', () => {
    const f = validFileObject();
    f.format = 'something-else';
    expectModelError(() => parseModel(JSON.stringify(f)), 'wrong-format', /not a Backprop Lab model file/);
    expectModelError(
      () => parseModel(JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [] })),
      'wrong-format',
      /TensorFlow\.js/,
    );
    delete f.format;
    expectModelError(() => parseModel(JSON.stringify(f)), 'wrong-format', /got nothing/);
  });

  it('unknown or malformed version', () => {
    for (const version of [2, 0, '1', null]) {
      const f = validFileObject();
      f.version = version;
      expectModelError(() => parseModel(JSON.stringify(f)), 'unsupported-version', /version/);
    }
  });

  it('missing fields, named by path', () => {
    const cases: [(f: ReturnType<typeof validFileObject>) => object, string, RegExp][] = [
      [(f) => f, 'config', /^config: expected an object/],
      [(f) => f.config, 'hidden', /^config\.hidden: missing/],
      [(f) => f.config, 'inputSize', /^config\.inputSize: missing/],
      [(f) => f.config, 'activation', /^config\.activation: missing/],
      [(f) => f, 'layers', /^layers: missing/],
      [(f) => f.layers[0]!, 'weights', /^layers\[0\]\.weights: missing/],
      [(f) => f.layers[2]!, 'inSize', /^layers\[2\]\.inSize: missing/],
    ];
    for (const [owner, key, message] of cases) {
      const f = validFileObject();
      Reflect.deleteProperty(owner(f), key);
      expectModelError(() => parseModel(JSON.stringify(f)), 'missing-field', message);
    }
    // A missing hyper-parameter (a file from before that setting existed) takes its default.
    const g = validFileObject();
    Reflect.deleteProperty(g.config, 'learningRate');
    Reflect.deleteProperty(g.config, 'stepEvery');
    expect(parseModel(JSON.stringify(g)).config).toEqual({
      ...SMALL,
      learningRate: DEFAULT_CONFIG.learningRate,
      stepEvery: DEFAULT_CONFIG.stepEvery,
    });
    // `training` is optional.
    const f = validFileObject();
    expect(parseModel(JSON.stringify(f)).training).toEqual({ epochs: 2, steps: 10 });
    Reflect.deleteProperty(f, 'training');
    expect(parseModel(JSON.stringify(f)).training).toBeUndefined();
  });

  it('invalid config values', () => {
    const cases: [string, unknown, RegExp][] = [
      [
        'activation',
        'softplus',
        /config\.activation: expected one of relu, leaky-relu, sigmoid, tanh, got "softplus"/,
      ],
      ['optimizer', 'rmsprop', /config\.optimizer/],
      ['init', 3, /config\.init/],
      ['schedule', 'linear', /config\.schedule/],
      ['learningRate', 0, /config\.learningRate: must be > 0/],
      ['learningRate', '0.1', /config\.learningRate: expected a finite number, got "0\.1"/],
      ['momentum', 1, /config\.momentum: must be < 1/],
      ['l2', -0.1, /config\.l2/],
      ['batchSize', 0, /config\.batchSize/],
      ['batchSize', 2.5, /config\.batchSize: expected an integer/],
      ['hidden', [4, 0], /config\.hidden\[1\]/],
      ['hidden', '128,64', /config\.hidden: expected an array/],
      ['seed', 1.5, /config\.seed/],
      ['epochs', -1, /config\.epochs/],
      ['dropout', 0.95, /config\.dropout/],
      ['inputDropout', -0.1, /config\.inputDropout/],
      ['maxNorm', -1, /config\.maxNorm/],
      ['augment', 'mixup', /config\.augment: expected one of none, shift, affine, elastic, affine\+elastic/],
    ];
    for (const [key, value, message] of cases) {
      const f = validFileObject();
      f.config[key] = value;
      expectModelError(() => parseModel(JSON.stringify(f)), 'invalid-field', message);
    }
  });

  it('absurd sizes are refused before anything is decoded', () => {
    const cases: [string, unknown, RegExp][] = [
      ['inputSize', 1e9, /config\.inputSize: 1000000000 is over the limit of 65536/],
      ['hidden', [1e6], /config\.hidden\[0\]: 1000000 is over the limit of 4096/],
      ['hidden', Array.from({ length: 100 }, () => 8), /100 hidden layers is over the limit of 8/],
      ['outputSize', 1e5, /config\.outputSize/],
      ['batchSize', 1e6, /config\.batchSize/],
    ];
    for (const [key, value, message] of cases) {
      const f = validFileObject();
      f.config[key] = value;
      expectModelError(() => parseModel(JSON.stringify(f)), 'too-large', message);
    }
    // Within the limits but huge (65536·4096 floats = 1 GiB): the short base64 string is caught by its length
    // before a single byte is allocated for it.
    const f = validFileObject();
    Object.assign(f.config, { inputSize: 65_536, hidden: [4096, 4] });
    f.layers[0].inSize = 65_536;
    f.layers[0].outSize = 4096;
    f.layers[1].inSize = 4096;
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'bad-base64',
      /layers\[0\]\.weights: expected 268435456 float32 values/,
    );
  });

  it('wrong shapes: the layer chain must connect and match the config', () => {
    let f = validFileObject();
    f.layers.pop();
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'shape-mismatch',
      /expected 3 layers for sizes 6-5-4-3, got 2/,
    );

    f = validFileObject();
    f.layers[1].inSize = 6;
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'shape-mismatch',
      /layers\[1\]\.inSize: is 6, but the previous layer has 5 outputs/,
    );

    f = validFileObject();
    f.layers[0].inSize = 7;
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'shape-mismatch',
      /layers\[0\]\.inSize: is 7, but config\.inputSize is 6/,
    );

    f = validFileObject();
    f.layers[2].outSize = 4;
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'shape-mismatch',
      /layers\[2\]\.outSize: is 4, but the config says 3/,
    );

    f = validFileObject();
    f.config.hidden = [5, 5];
    expectModelError(() => parseModel(JSON.stringify(f)), 'shape-mismatch', /layers\[1\]\.outSize/);

    f = validFileObject();
    f.layers[0].activation = 'tanh';
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'shape-mismatch',
      /layers\[0\]\.activation: expected "relu"/,
    );

    f = validFileObject();
    f.layers[2].activation = 'relu';
    expectModelError(() => parseModel(JSON.stringify(f)), 'shape-mismatch', /output layer is softmax/);

    f = validFileObject();
    f.layers[1] = 'nope' as unknown as Record<string, unknown>;
    expectModelError(() => parseModel(JSON.stringify(f)), 'invalid-field', /layers\[1\]: expected an object/);
  });

  it('base64 of the wrong length or with bad characters, and non-string weights', () => {
    let f = validFileObject();
    f.layers[1].weights = (f.layers[1].weights as string).slice(4);
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'bad-base64',
      /layers\[1\]\.weights: expected 20 float32 values \(108 base64 characters\), got 104/,
    );

    f = validFileObject();
    const b = f.layers[2].biases as string;
    f.layers[2].biases = '*' + b.slice(1);
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'bad-base64',
      /layers\[2\]\.biases: invalid base64 character "\*" at position 0/,
    );

    f = validFileObject();
    f.layers[0].weights = Array.from({ length: 30 }, () => 0.1);
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'invalid-field',
      /layers\[0\]\.weights: expected a base64 string, got an array/,
    );
  });

  it('NaN or Infinity in the weights', () => {
    const f = validFileObject();
    const w = Buffer.from(f.layers[1].weights as string, 'base64');
    w.writeFloatLE(-Infinity, 7 * 4);
    f.layers[1].weights = w.toString('base64');
    expectModelError(
      () => parseModel(JSON.stringify(f)),
      'non-finite',
      /layers\[1\]\.weights: value \[7\] is -Infinity/,
    );
  });

  it('never crashes: random corruptions either parse or throw ModelFileError', () => {
    const text = serializeModel(fakeNet(SMALL), SMALL);
    const rand = prng(99);
    const alphabet = '{}[]",:0123456789.-eE+/=AZaz \n\\nulltrue';
    let rejected = 0;
    for (let trial = 0; trial < 2000; trial++) {
      let t = text;
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * t.length);
        const op = rand();
        if (op < 0.3) t = t.slice(0, at);
        else if (op < 0.6) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 20));
        else t = t.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + t.slice(at + 1);
      }
      try {
        const parsed = parseModel(t);
        // Whatever parses is complete and consistent.
        expect(parsed.params.weights.map((w) => w.length)).toEqual([30, 20, 12]);
        for (const w of [...parsed.params.weights, ...parsed.params.biases]) {
          expect(w.every((v) => Number.isFinite(v))).toBe(true);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  });
});

describe('validateTrainConfig', () => {
  it('a file from before dropout, max-norm and augmentation loads with all three off', () => {
    const f = validFileObject();
    for (const key of ['inputDropout', 'dropout', 'maxNorm', 'augment']) delete f.config[key];
    const m = parseModel(JSON.stringify(f));
    expect(m.config).toMatchObject({ inputDropout: 0, dropout: 0, maxNorm: 0, augment: 'none' });
    // And a file that has them keeps them.
    const g = validFileObject();
    Object.assign(g.config, { inputDropout: 0.2, dropout: 0.5, maxNorm: 3, augment: 'elastic' });
    expect(parseModel(JSON.stringify(g)).config).toMatchObject({
      inputDropout: 0.2,
      dropout: 0.5,
      maxNorm: 3,
      augment: 'elastic',
    });
  });

  it('accepts the defaults and returns a clean copy without unknown keys', () => {
    const clean = validateTrainConfig({ ...DEFAULT_CONFIG, extra: 'ignored' });
    expect(clean).toEqual(DEFAULT_CONFIG);
    expect(clean.hidden).not.toBe(DEFAULT_CONFIG.hidden);
  });
});

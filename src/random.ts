// A small seeded PRNG (xoshiro128**, seeded through splitmix32) so that the
// same seed gives the same initial weights and the same shuffles on every
// platform and backend. Its state is four uint32 words, which serialize.ts
// saves so that a restored network shuffles on exactly as the original.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Independent streams derived from one seed. */
export const RandomStream = { initialisation: 0, shuffling: 1, dropout: 2, splitting: 3 } as const;

export class Random {
  /** The four state words, which the engines may also advance (the native one with the same generator). */
  private constructor(readonly words: Uint32Array = new Uint32Array(4)) {}

  /** A generator whose state is `words` itself (4 words): drawing advances that array. */
  static over(words: Uint32Array): Random {
    return new Random(words);
  }

  /** A generator for `stream` of `seed` (an integer in [0, 2³²)). */
  static fromSeed(seed: number, stream: number): Random {
    const next = splitmix32((seed ^ Math.imul(stream + 1, 0x632be5ab)) >>> 0);
    return Random.fromState([next(), next(), next(), next()]);
  }

  static fromState(state: readonly number[]): Random {
    const r = new Random();
    r.words.set(state.map((x) => x >>> 0));
    // xoshiro's only fixed point; splitmix32 never yields four zeros, a hand-made state might.
    if (r.words.every((x) => x === 0)) r.words[0] = 1;
    return r;
  }

  state(): number[] {
    return Array.from(this.words);
  }

  nextUint32(): number {
    const s = this.words;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Standard normal (Box–Muller; one uniform pair per draw keeps the state simple). */
  nextNormal(): number {
    const u = 1 - this.nextDouble(); // (0, 1]: log(u) is finite
    const v = this.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(order: Int32Array): void {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.nextDouble() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seed for users who did not give one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

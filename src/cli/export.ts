// deltaprop export model.dpm --onnx model.onnx [--float32]: the model as ONNX,
// written atomically like every file deltaprop writes.
import { writeFileAtomic } from '../persistence/files.js';
import type { Network } from '../network.js';
import type { Output } from './output.js';
import { writeOut } from './output.js';
import { writeOrSay } from './paths.js';
import { printable } from './text.js';

export function exportModel(net: Network, onnx: string, float32: boolean, io: Output): number {
  const bytes = net.toONNX({ dtype: float32 ? 'float32' : 'float64' });
  writeOrSay('the ONNX file', onnx, () => writeFileAtomic(onnx, [bytes], '--onnx'));
  writeOut(io, `wrote ${printable(onnx)} (${bytes.length} bytes, ONNX, ${float32 ? 'float32' : 'float64'})\n`);
  return 0;
}

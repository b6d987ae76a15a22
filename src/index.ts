/**
 * What `require('deltaprop')` and `import ... from 'deltaprop'` give:
 * {@link Network} and the functions and types around it. docs/api.md
 * describes them with their maths and guarantees.
 * @module deltaprop
 */
export { Network } from './network.js';
export type { EvaluateOptions, Evaluation, FitTask, Gradients, Inputs, LayerView, WeightOptions } from './network.js';
export type { Init, LayerOptions, NetworkConfig, NetworkOptions, TableNetworkOptions } from './options.js';
export type { BatchProgress, CheckpointOptions, Chunk, ChunkSource, EarlyStoppingOptions, EpochInfo, FitOptions, History, Monitor } from './training/fit-options.js';
export type { DataParallelWorld } from './training/data-parallel.js';
export { oneHot } from './labels.js';
export type { Labels, Targets } from './labels.js';
export { kFold, trainTestSplit } from './table/splits.js';
export { crossValidate } from './table/cross-validate.js';
export type { CrossValidateOptions, CrossValidation, FoldResult } from './table/cross-validate.js';
export type { Fold, KFoldOptions, Split, SplitInputs, SplitOptions, SplitPart, SplitTargets } from './table/splits.js';
export type { ColumnKind, ColumnOptions, ImputeStrategy, Schema, SchemaColumn, UnknownCategory } from './table/columns.js';
export type { Label } from './table/label-order.js';
export type { TableLike, TableRow } from './table/table-rows.js';
export type { ClassWeight } from './table/weights.js';
export * as metrics from './table/metrics.js';
export type { MetricName } from './table/metrics.js';
export type { InputScalingKind } from './scaling.js';
export type { JsonValue, Metadata } from './persistence/metadata.js';
export type { AdamOptions, AdamWOptions, OptimizerName, OptimizerOptions, RmsPropOptions, SgdOptions } from './optimizers.js';
export type { CosineSchedule, ExponentialSchedule, LearningRate, PlateauSchedule, StepSchedule } from './training/schedules.js';
export type { NetworkJSON } from './persistence/serialize.js';
export type { OnnxOptions } from './export/onnx.js';
export type { FunctionOptions } from './export/to-function.js';
export type { Activation } from './activations.js';
export type { Loss, Reduction } from './losses.js';
export { DeltapropError } from './errors.js';
export { AbortError } from './training/abort-error.js';
export { matrix, toArray, toMatrix } from './matrix.js';
export type { Matrix, MatrixLike } from './matrix.js';
export { gemm } from './kernels.js';
export { backend, setThreads } from './backend/index.js';
export type { BackendInfo, BackendName } from './backend/index.js';
export { trainingReport } from './report/report.js';
export type { ConfusionMatrix, ReportClass, ReportData, ReportEvaluation, ReportTest, ReportTiming, TrainingReportDetails } from './report/report.js';

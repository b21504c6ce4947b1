/** The trace viewer: a local OTLP/HTTP receiver that prints traces as trees, and queries over its span files. */
export { startViewer, type Viewer, type ViewerOptions, type ViewerStats } from './viewer';
export { runCli, type CliIo } from './cli';
export { decodeProtoTraceRequest } from './otlp-proto-decoder';
export { decodeJsonTraceRequest } from './otlp-json-decoder';
export { buildTraceTree, mainRoot, type SpanNode, type TraceTree } from './trace-tree';
export { criticalPath, selfTimeNs, type CriticalPath, type PathSegment } from './critical-path';
export { formatTrace, type FormatOptions } from './format-trace';
export { formatDuration, parseDuration } from './duration';
export { TraceAssembler, type AssemblerOptions } from './trace-assembler';
export { groupTraces, tracesSlowerThan, tracesWithErrors, spansOfService, topSelfTime, allSpans, type SpanHit } from './query';
export { formatTraceList, formatSpanList } from './format-query';
export { readSpanFile, parseSpanLine, SpanFileWriter } from './span-file';
export type { ViewSpan, ViewEvent, Attrs, AttrValue } from './view-span';

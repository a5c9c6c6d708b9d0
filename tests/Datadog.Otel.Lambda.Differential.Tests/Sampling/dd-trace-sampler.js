'use strict'

// Runs dd-trace's own sampler over a fixed list of decisions and prints, for each, what dd-trace would send: the
// sampling priority and sampling tags of the formatted root span (meta and metrics, through dd-trace's span_format)
// and the headers its propagator injects. Usage: node dd-trace-sampler.js <scenario.json>
//
// The scenario file holds { env, resourceAsNameVariant, decisions: [{ traceId, spanId, atMs, name, service?, resource?,
// tags?, remoteParentId? }] } (ids in decimal).
// dd-trace is configured from the environment exactly as in a function: the script clears every DD_* and OTEL_*
// variable, sets the scenario's, then loads dd-trace's config (getConfig reads process.env) and builds its
// PrioritySampler from config.sampler, as its tracer does (opentracing/tracer.js).
//
// The clock: dd-trace's rate limiter (vendor/dist/limiter) reads two clocks, process.hrtime() for its one-second
// window and `+new Date` for its token bucket's refill, both at call time. The script replaces process.hrtime and the
// global Date with a clock that only moves when the script says so (to each decision's atMs, whole milliseconds from
// the moment the sampler was built), before any dd-trace module is loaded. Nothing else in a decision reads time.
//
// Only internals of the pinned dd-trace version are used (package-lock.json pins 5.132.0). The limiters' state is
// read, never changed, to report why a decision was limited (the C# test uses it to tell accepted differences from
// bugs).

const fs = require('fs')
const path = require('path')
const { createRequire } = require('module')

const scenario = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))

for (const key of Object.keys(process.env)) {
  if (key.startsWith('DD_') || key.startsWith('OTEL_') || key.startsWith('AWS_LAMBDA_')) delete process.env[key]
}
Object.assign(process.env, scenario.env, {
  DD_TRACE_STARTUP_LOGS: 'false',
  DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
  DD_REMOTE_CONFIGURATION_ENABLED: 'false',
})

// The controlled clock (see above).
const RealDate = Date
const epochMs = RealDate.UTC(2026, 0, 1)
let nowMs = epochMs
class ControlledDate extends RealDate {
  constructor (...args) {
    if (args.length === 0) super(nowMs)
    else super(...args)
  }

  static now () { return nowMs }
}
globalThis.Date = ControlledDate
const realHrtime = process.hrtime
function controlledHrtime (previous) {
  const seconds = Math.floor(nowMs / 1000)
  const nanoseconds = (nowMs % 1000) * 1e6
  if (!previous) return [seconds, nanoseconds]
  let s = seconds - previous[0]
  let ns = nanoseconds - previous[1]
  if (ns < 0) { s--; ns += 1e9 }
  return [s, ns]
}
controlledHrtime.bigint = realHrtime.bigint
process.hrtime = controlledHrtime

const ddRequire = createRequire(path.join(__dirname, '..', 'node', 'package.json'))
const src = path.dirname(ddRequire.resolve('dd-trace/packages/dd-trace/src/priority_sampler.js'))
const getConfig = ddRequire(path.join(src, 'config'))
const PrioritySampler = ddRequire(path.join(src, 'priority_sampler.js'))
const DatadogSpan = ddRequire(path.join(src, 'opentracing', 'span.js'))
const SpanContext = ddRequire(path.join(src, 'opentracing', 'span_context.js'))
const TextMapPropagator = ddRequire(path.join(src, 'opentracing', 'propagation', 'text_map.js'))
const spanFormat = ddRequire(path.join(src, 'span_format.js'))
const id = ddRequire(path.join(src, 'id.js'))

const config = getConfig()
const propagator = new TextMapPropagator(config)

// What the tracer's spans need from it here: its configuration and service (the service rules match by default).
const tracer = {
  _config: config,
  _service: config.service,
  serviceLower: String(config.service).toLowerCase(),
}
const processor = { process () {} }

// The limiters' state before a request, as the vendored limiter would see it at this time (read only).
function limiterState (limiter) {
  const vendored = limiter._limiter
  const bucket = vendored.tokenBucket
  const clockMs = nowMs // both of the limiter's clocks read the controlled time
  // The same window test and refill formula as vendor/dist/limiter's tryRemoveTokens and drip, without their writes.
  const windowRolls = clockMs < vendored.curIntervalStart || clockMs - vendored.curIntervalStart >= bucket.interval
  const elapsed = Math.max(clockMs - bucket.lastDrip, 0)
  return {
    limit: limiter._rateLimit,
    windowCount: windowRolls ? 0 : vendored.tokensThisInterval,
    bucket: Math.min(bucket.content + elapsed * (bucket.tokensPerInterval / bucket.interval), bucket.bucketSize),
  }
}

// Records each limiter consultation of one decision, in order, without changing what the limiter does.
let consultations = []
function watch (limiter, which) {
  const isAllowed = limiter.isAllowed.bind(limiter)
  limiter.isAllowed = () => {
    const state = limiterState(limiter)
    const allowed = isAllowed()
    consultations.push({ which, allowed, ...state })
    return allowed
  }
}

// As dd-trace's tracer builds it (opentracing/tracer.js).
function createSampler () {
  return new PrioritySampler(config.env, config.sampler)
}

const sampler = createSampler()
watch(sampler._limiter, 'sampler')
sampler._rules.forEach((rule, index) => { if (rule._limiter) watch(rule._limiter, 'rule' + index) })

// A second sampler for decisions without a resource: the same decision with the operation name as resource (what
// Datadog's Python tracer matches, its resource defaulting to the name). Only for scenarios where no rate limit applies,
// where decisions do not depend on each other.
const resourceAsName = scenario.resourceAsNameVariant ? createSampler() : undefined

function decide (prioritySampler, decision, resource) {
  const tags = { ...decision.tags }
  if (decision.service) tags['service.name'] = decision.service
  if (resource) tags['resource.name'] = resource
  const context = new SpanContext({
    traceId: id(decision.traceId, 10),
    spanId: id(decision.spanId, 10),
    parentId: decision.remoteParentId ? id(decision.remoteParentId, 10) : null,
  })
  const span = new DatadogSpan(tracer, processor, prioritySampler, {
    operationName: decision.name,
    context,
    tags,
    hostname: undefined,
  })
  span._duration = 1

  // What the span processor does with a finished trace (span_processor.js), and the tracer before injecting.
  const matched = prioritySampler._rules.findIndex(rule => rule.match(span))
  prioritySampler.sample(span.context())

  const formatted = spanFormat(span, true)
  const pick = (bag) => Object.fromEntries(Object.entries(bag).filter(([key]) =>
    key === '_sampling_priority_v1' || key === '_dd.p.dm' || key === '_dd.p.ksr' || key.endsWith('_psr')))
  const headers = {}
  propagator.inject(span.context(), headers)
  return {
    priority: formatted.metrics._sampling_priority_v1,
    matchedRule: matched,
    meta: pick(formatted.meta),
    metrics: pick(formatted.metrics),
    headers: {
      'x-datadog-sampling-priority': headers['x-datadog-sampling-priority'],
      'x-datadog-tags': headers['x-datadog-tags'],
      traceparent: headers.traceparent,
      tracestate: headers.tracestate,
    },
  }
}

const out = []
for (const [index, decision] of scenario.decisions.entries()) {
  nowMs = epochMs + decision.atMs
  consultations = []
  const result = decide(sampler, decision, decision.resource)
  result.index = index
  result.limiters = consultations
  const limiter = sampler._limiter
  result.samplerCounts = {
    previousAllowed: limiter._prevIntervalTokens,
    previousRequested: limiter._prevTokensRequested,
    currentAllowed: limiter._limiter.tokensThisInterval,
    currentRequested: limiter._tokensRequested,
  }
  if (resourceAsName && !decision.resource) {
    result.resourceAsName = decide(resourceAsName, decision, decision.name)
  }
  out.push(JSON.stringify(result))
}
process.stdout.write(out.join('\n') + '\n')

// The part of autocannon's API the benchmark uses (the package ships no types).
declare module "autocannon" {
  type Stat = { average: number; mean: number; p50: number; p90: number; p99: number; max: number };
  export type Result = { requests: Stat & { total: number }; latency: Stat; throughput: Stat; errors: number; timeouts: number; non2xx: number; "2xx": number; duration: number };
  export type Options = { url: string; connections?: number; duration?: number; pipelining?: number; headers?: Record<string, string> };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}

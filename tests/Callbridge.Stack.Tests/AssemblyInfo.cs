// Real-component tests share 2 cores: one Janus/Chromium/sipp scene at a time keeps timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

using BenchmarkDotNet.Running;
using Synapse.Benchmarks.Dlp;

if (args is ["dlp-eval", ..])
{
    return DlpEvaluation.Run();
}

if (args is ["dlp-ab", var beforeFolder, var afterFolder])
{
    return DlpBuildComparison.Run(beforeFolder, afterFolder);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

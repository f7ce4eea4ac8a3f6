using BenchmarkDotNet.Running;
using Synapse.Benchmarks.Dlp;

if (args is ["dlp-eval", ..])
{
    return DlpEvaluation.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

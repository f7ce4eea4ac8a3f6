namespace Synapse.LoadHarness.Gateway;

/// <summary>Finds the built gateway and the <c>dotnet</c> host that runs it.</summary>
internal static class GatewayLocator
{
    private const string RelativeDll = "Gateway.Api/bin/Release/net10.0/Synapse.Gateway.Api.dll";

    public static string FindDll(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"No gateway at '{given}'.");
        }

        // Walk up from both the working directory and the harness's own output folder, so it
        // works from the repository root, from bench/ and from bin/Release/net10.0.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Synapse.sln")))
                {
                    var dll = Path.Combine(dir.FullName, RelativeDll);
                    return File.Exists(dll)
                        ? dll
                        : throw new FileNotFoundException($"The gateway is not built: run 'dotnet build -c Release Gateway.Api' in {dir.FullName}.");
                }
            }
        }

        throw new FileNotFoundException("The repository root (Synapse.sln) was not found; pass --gateway-dll.");
    }

    public static string FindDotnetHost()
    {
        // Under 'dotnet run' the SDK says which host it is; the apphost itself is not 'dotnet'.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }
}

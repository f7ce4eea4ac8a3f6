using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Synapse.Providers;

/// <summary>
/// The circuit state of each provider on this silo. Each silo keeps its own circuits: a
/// provider this silo cannot reach is skipped by this silo, whatever the others see.
/// </summary>
public sealed class ProviderHealth
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.Ordinal);

    public CircuitBreakerStateProvider CircuitOf(string provider) => _circuits.GetOrAdd(provider, _ => new CircuitBreakerStateProvider());

    /// <summary>True while calls to the provider are refused without being tried.</summary>
    public bool IsOpen(string provider) => _circuits.TryGetValue(provider, out var circuit) && circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    public string StateOf(string provider) => _circuits.TryGetValue(provider, out var circuit)
        ? circuit.CircuitState switch
        {
            CircuitState.Closed => "closed",
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            _ => "isolated",
        }
        : "closed";
}

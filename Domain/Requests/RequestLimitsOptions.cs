using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

namespace Synapse.Requests;

/// <summary>
/// The output a request may ask for, by default (<c>Synapse:Limits</c>); a key's own
/// <c>maxOutputTokens</c>/<c>maxChoices</c> override the first two.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Synapse:Limits";

    /// <summary>The largest <c>max_tokens</c>/<c>max_completion_tokens</c> a request may ask for.</summary>
    [Range(1, 10_000_000, ErrorMessage = OptionsMessages.Between)]
    public int MaxOutputTokens { get; set; } = 32_768;

    /// <summary>The largest <c>n</c> (choices per request) a request may ask for.</summary>
    [Range(1, 128, ErrorMessage = OptionsMessages.Between)]
    public int MaxChoices { get; set; } = 8;

    /// <summary>
    /// Output tokens held per choice against the key's tokens-per-minute limit when a request does
    /// not set <c>max_tokens</c>; the real usage is settled when the answer is done.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = OptionsMessages.Between)]
    public int OutputReservation { get; set; } = 1_024;
}

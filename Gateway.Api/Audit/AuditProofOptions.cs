using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

namespace Synapse.Gateway.Audit;

/// <summary>
/// How many texts one admin identity may prove per window (<c>Synapse:Admin:Proofs</c>), checked at
/// start. A proof answers "was this the prompt?", so with no budget an auditor could try every
/// value of a low-entropy prompt ("the salary of X is N") as fast as the server answers.
/// </summary>
public sealed class AuditProofOptions
{
    public const string SectionName = "Synapse:Admin:Proofs";

    /// <summary>Texts one identity (an account, or the admin token) may check per window.</summary>
    [Range(1, 10_000, ErrorMessage = OptionsMessages.Between)]
    public int TextsPerWindow { get; set; } = 20;

    /// <summary>The window of <see cref="TextsPerWindow"/>, in seconds.</summary>
    [Range(1, 24 * 3600, ErrorMessage = OptionsMessages.Between)]
    public int WindowSeconds { get; set; } = 600;
}

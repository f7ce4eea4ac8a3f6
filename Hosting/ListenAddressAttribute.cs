using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting;

/// <summary>
/// A setting that is an address to listen on (<see cref="ListenAddress"/>): an IP literal, or
/// unset. The value is shown in the message: an address is no secret, and a host name shown back
/// tells the operator at once what went wrong.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListenAddressAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var text = value as string;
        return string.IsNullOrEmpty(text) || ListenAddress.TryParse(text, out _)
            ? ValidationResult.Success
            : new ValidationResult(
                $"must be an IP address {ListenAddress.Examples}, never a host name: '{text}' is not one.",
                validationContext.MemberName is { } member ? [member] : null);
    }
}

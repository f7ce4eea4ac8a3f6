
namespace Synapse.Dlp;

/// <summary>Why a scan could not give an answer. Every case means: fail closed.</summary>
public enum DlpScanFailure
{
    /// <summary>The scan ran past its time budget.</summary>
    BudgetExceeded = 0,

    /// <summary>A streaming redactor would have had to hold back more than its limit.</summary>
    HoldBackExceeded = 1,

    /// <summary>The engine itself failed (a bug); the inner exception says where.</summary>
    EngineFault = 2,
}


namespace Synapse.Dlp;

/// <summary>
/// The scan gave no answer, so the caller must fail closed (refuse the request, end the stream).
/// The message never contains scanned text.
/// </summary>
public sealed class DlpScanException : Exception
{
    public DlpScanException()
        : this(DlpScanFailure.EngineFault, "The DLP scan failed.")
    {
    }

    public DlpScanException(string message)
        : this(DlpScanFailure.EngineFault, message)
    {
    }

    public DlpScanException(string message, Exception innerException)
        : this(DlpScanFailure.EngineFault, message, innerException)
    {
    }

    public DlpScanException(DlpScanFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DlpScanFailure Failure { get; }
}

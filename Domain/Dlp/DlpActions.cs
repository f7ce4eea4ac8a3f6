
namespace Synapse.Dlp;

/// <summary>The wire names of <see cref="DlpAction"/>: <c>block</c>, <c>redact</c>, <c>route_on_prem</c>, <c>alert</c>, <c>off</c>.</summary>
public static class DlpActions
{
    public static string ToName(DlpAction action) => action switch
    {
        DlpAction.Block => "block",
        DlpAction.Redact => "redact",
        DlpAction.Alert => "alert",
        DlpAction.RouteOnPrem => "route_on_prem",
        _ => "off",
    };

    public static bool TryParse(string? name, out DlpAction action)
    {
        switch (name)
        {
            case "block": action = DlpAction.Block; return true;
            case "redact": action = DlpAction.Redact; return true;
            case "alert": action = DlpAction.Alert; return true;
            case "route_on_prem": action = DlpAction.RouteOnPrem; return true;
            case "off": action = DlpAction.Off; return true;
            default: action = DlpAction.Off; return false;
        }
    }
}

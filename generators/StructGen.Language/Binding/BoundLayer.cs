using StructGen.Language.Collections;
using StructGen.Language.Diagnostics;
using StructGen.Language.Ir;

namespace StructGen.Language.Binding;

/// <summary>The binder's answer: the IR (null when an error stops it), the layer options, and every diagnostic.</summary>
public sealed record BoundLayer(LayerSpec? Spec, bool Bias, int Seed, EquatableArray<LanguageDiagnostic> Diagnostics)
{
    public bool HasErrors
    {
        get
        {
            foreach (LanguageDiagnostic d in Diagnostics)
            {
                if (d.Descriptor.Severity == DiagnosticSeverityLevel.Error)
                {
                    return true;
                }
            }
            return false;
        }
    }
}

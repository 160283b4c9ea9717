namespace Periscope.Generators.Model;

/// <summary>The wire types a field can have.</summary>
public enum FieldKind
{
    Unresolved,
    String,
    Int64,
    Decimal,
    Bool,
    Timestamp,
    Enum,
    Object,
}

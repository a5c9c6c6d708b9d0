// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Datadog.Otel.Lambda.Deployment.Tests.Packaging;

/// <summary>
/// Shipped packages share code as source or public API, never internals: every type and member one packed assembly
/// references in another of ours resolves, in the referenced package's assembly for the same framework, to a public
/// (or protected) definition, and no packed assembly grants InternalsVisibleTo to another. A user who updates one of
/// our packages and not the other then gets, at worst, a compile-time API change, never a MissingMethodException from
/// an internal that moved.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class CrossPackageReferenceTests(PackedPackages packages)
{
    [Fact]
    public void Every_reference_into_another_of_our_packages_resolves_to_public_api()
    {
        var frameworks = Assemblies();
        var checkedReferences = 0;
        var problems = new List<string>();
        foreach (var (framework, assemblies) in frameworks)
        {
            foreach (var (name, referencing) in assemblies)
            {
                var reader = referencing.Reader;
                foreach (var handle in reader.AssemblyReferences)
                {
                    var target = reader.GetString(reader.GetAssemblyReference(handle).Name);
                    if (target == name || !assemblies.TryGetValue(target, out var referenced))
                    {
                        continue;
                    }

                    foreach (var typeHandle in reader.TypeReferences)
                    {
                        if (Scope(reader, typeHandle) != handle)
                        {
                            continue;
                        }

                        checkedReferences++;
                        var fullName = FullName(reader, typeHandle);
                        var definition = referenced.FindType(fullName);
                        if (definition is null)
                        {
                            problems.Add($"{framework} {name} -> {target}: type {fullName} does not exist");
                        }
                        else if (!referenced.IsAccessible(definition.Value))
                        {
                            problems.Add($"{framework} {name} -> {target}: type {fullName} is not public");
                        }
                    }

                    foreach (var memberHandle in reader.MemberReferences)
                    {
                        var member = reader.GetMemberReference(memberHandle);
                        var parent = ParentType(reader, member.Parent);
                        if (parent is null || Scope(reader, parent.Value) != handle)
                        {
                            continue;
                        }

                        checkedReferences++;
                        var typeName = FullName(reader, parent.Value);
                        var memberName = reader.GetString(member.Name);
                        var signature = Signature(reader, member.Signature, member.GetKind());
                        var access = referenced.FindType(typeName) is { } type ? referenced.MemberAccess(type, memberName, signature, member.GetKind()) : null;
                        if (access is null)
                        {
                            problems.Add($"{framework} {name} -> {target}: {typeName}.{memberName} {signature} does not exist");
                        }
                        else if (access is not (MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem))
                        {
                            problems.Add($"{framework} {name} -> {target}: {typeName}.{memberName} {signature} is {access}");
                        }
                    }
                }
            }
        }

        Assert.Empty(problems);

        // Datadog.Otel.Lambda.AwsSdk, .Logging and .AspNetCoreServer build on the core's public API: the check saw it.
        Assert.True(checkedReferences > 20, $"only {checkedReferences} cross-package references were checked");
    }

    [Fact]
    public void No_packed_assembly_grants_internals_to_another_of_ours()
    {
        var frameworks = Assemblies();
        Assert.NotEmpty(frameworks);
        foreach (var (framework, assemblies) in frameworks)
        {
            // Each core package references the core on each framework it ships.
            Assert.Contains("Datadog.Otel.Lambda", assemblies.Keys);
            foreach (var (name, assembly) in assemblies)
            {
                var grants = assembly.InternalsVisibleTo();
                Assert.True(!grants.Any(assemblies.ContainsKey), $"{framework} {name} grants internals to {string.Join(", ", grants)}");
                Assert.DoesNotContain(grants, g => PackedPackages.ExpectedIds.Contains(g.Split(',')[0].Trim()));
            }
        }
    }

    [Fact]
    public void A_package_depends_on_another_of_ours_from_its_own_version_up()
    {
        // As OpenTelemetry .NET's packages depend on one another (a project reference packed as a minimum version): our
        // packages are released together at one version, and public API only keeps a newer core usable by an older
        // companion package.
        var dependencies = 0;
        foreach (var id in PackedPackages.ExpectedIds)
        {
            using var package = ZipFile.OpenRead(packages.Package(id));
            using var stream = package.GetEntry(id + ".nuspec")!.Open();
            foreach (var dependency in System.Xml.Linq.XElement.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency"))
            {
                if (PackedPackages.ExpectedIds.Contains((string?)dependency.Attribute("id")))
                {
                    dependencies++;
                    Assert.Equal(packages.Version, (string?)dependency.Attribute("version"));
                }
            }
        }

        // AwsSdk, Logging and AspNetCoreServer on the core (once per framework group).
        Assert.True(dependencies >= 3, $"only {dependencies} dependencies between our packages");
    }

    /// <summary>The packed assemblies by framework (lib/ of the libraries, tools/ of the tool), each by its name.</summary>
    private SortedDictionary<string, Dictionary<string, PackedAssembly>> Assemblies()
    {
        var result = new SortedDictionary<string, Dictionary<string, PackedAssembly>>(StringComparer.Ordinal);
        foreach (var id in PackedPackages.ExpectedIds)
        {
            using var package = ZipFile.OpenRead(packages.Package(id));
            foreach (var entry in package.Entries)
            {
                var parts = entry.FullName.Split('/');
                var isLibrary = parts is ["lib", _, _] && parts[2] == id + ".dll";
                var isTool = parts is ["tools", _, "any", _] && parts[3] == id + ".dll";
                if (!isLibrary && !isTool)
                {
                    continue;
                }

                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var frameworkAssemblies = result.TryGetValue(parts[1], out var existing) ? existing : result[parts[1]] = new(StringComparer.Ordinal);
                frameworkAssemblies[id] = new PackedAssembly(copy.ToArray());
            }
        }

        return result;
    }

    /// <summary>The assembly a type reference lives in: its own scope, or its outermost declaring type's.</summary>
    private static AssemblyReferenceHandle? Scope(MetadataReader reader, TypeReferenceHandle handle)
    {
        var scope = reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => (AssemblyReferenceHandle)scope,
            HandleKind.TypeReference => Scope(reader, (TypeReferenceHandle)scope),
            _ => null,
        };
    }

    private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name
            : Join(reader.GetString(type.Namespace), name);
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    /// <summary>The type reference a member reference's parent names (a generic instantiation names its generic type).</summary>
    private static TypeReferenceHandle? ParentType(MetadataReader reader, EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference:
                return (TypeReferenceHandle)parent;
            case HandleKind.TypeSpecification:
                var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }

                blob.ReadSignatureTypeCode(); // class or value type
                var generic = blob.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)generic : null;
            default:
                return null;
        }
    }

    private static string Signature(MetadataReader reader, BlobHandle signature, MemberReferenceKind kind)
    {
        var decoder = new SignatureDecoder<string, object?>(new TypeNames(), reader, null);
        var blob = reader.GetBlobReader(signature);
        if (kind == MemberReferenceKind.Field)
        {
            return decoder.DecodeFieldSignature(ref blob);
        }

        var method = decoder.DecodeMethodSignature(ref blob);
        return $"{method.ReturnType}`{method.GenericParameterCount}({string.Join(",", method.ParameterTypes)})";
    }

    /// <summary>One packed assembly and what the test asks of it.</summary>
    private sealed class PackedAssembly
    {
        private readonly PEReader pe;

        public PackedAssembly(byte[] image)
        {
            pe = new PEReader(ImmutableArray.Create(image));
            Reader = pe.GetMetadataReader();
        }

        public MetadataReader Reader { get; }

        public TypeDefinitionHandle? FindType(string fullName)
        {
            foreach (var handle in Reader.TypeDefinitions)
            {
                if (DefinitionName(handle) == fullName)
                {
                    return handle;
                }
            }

            return null;
        }

        /// <summary>Whether code in another assembly can name the type: public, nested public or protected in such types.</summary>
        public bool IsAccessible(TypeDefinitionHandle handle)
        {
            var type = Reader.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            return visibility switch
            {
                TypeAttributes.Public => true,
                TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem => IsAccessible(type.GetDeclaringType()),
                _ => false,
            };
        }

        /// <summary>The access of the member with this name and signature, in the type or its base types here; null when none.</summary>
        public MethodAttributes? MemberAccess(TypeDefinitionHandle handle, string name, string signature, MemberReferenceKind kind)
        {
            var type = Reader.GetTypeDefinition(handle);
            if (kind == MemberReferenceKind.Field)
            {
                foreach (var fieldHandle in type.GetFields())
                {
                    var field = Reader.GetFieldDefinition(fieldHandle);
                    if (Reader.GetString(field.Name) == name && Signature(Reader, field.Signature, kind) == signature)
                    {
                        // FieldAttributes and MethodAttributes share the access values.
                        return (MethodAttributes)(int)(field.Attributes & FieldAttributes.FieldAccessMask);
                    }
                }
            }
            else
            {
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = Reader.GetMethodDefinition(methodHandle);
                    if (Reader.GetString(method.Name) == name && Signature(Reader, method.Signature, kind) == signature)
                    {
                        return method.Attributes & MethodAttributes.MemberAccessMask;
                    }
                }
            }

            return type.BaseType.Kind == HandleKind.TypeDefinition ? MemberAccess((TypeDefinitionHandle)type.BaseType, name, signature, kind) : null;
        }

        /// <summary>The assemblies named by the assembly's InternalsVisibleTo attributes.</summary>
        public IReadOnlyList<string> InternalsVisibleTo()
        {
            var names = new List<string>();
            foreach (var handle in Reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = Reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != HandleKind.MemberReference)
                {
                    continue;
                }

                var parent = ParentType(Reader, Reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent);
                if (parent is null || CrossPackageReferenceTests.FullName(Reader, parent.Value) != "System.Runtime.CompilerServices.InternalsVisibleToAttribute")
                {
                    continue;
                }

                // The value blob: prolog 0x0001, then the assembly name as a serialized string.
                var value = Reader.GetBlobReader(attribute.Value);
                value.ReadUInt16();
                names.Add(value.ReadSerializedString() ?? string.Empty);
            }

            return names;
        }

        private string DefinitionName(TypeDefinitionHandle handle)
        {
            var type = Reader.GetTypeDefinition(handle);
            var name = Reader.GetString(type.Name);
            return type.IsNested ? DefinitionName(type.GetDeclaringType()) + "+" + name : Join(Reader.GetString(type.Namespace), name);
        }
    }

    /// <summary>Names a signature's types by full name, so a reference and its definition in another assembly compare equal.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => $"fnptr({signature.ReturnType}({string.Join(",", signature.ParameterTypes)}))";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => $"{unmodifiedType} {(isRequired ? "modreq" : "modopt")}({modifier})";

        public string GetPinnedType(string elementType) => elementType + " pinned";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            var name = reader.GetString(type.Name);
            return type.IsNested
                ? GetTypeFromDefinition(reader, type.GetDeclaringType(), rawTypeKind) + "+" + name
                : Join(reader.GetString(type.Namespace), name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}

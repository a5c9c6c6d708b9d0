// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// The members of a JSON document that tracing reads, as a tree of member names: each declared path gets a field number
/// where <see cref="EventReader"/> records what it finds there (the value's place in the bytes and its kind), in one
/// forward pass that skips everything else. <c>[0]</c> names the first element of an array. One array member may be a
/// list of records (<see cref="Records"/>): each of its elements, up to a bound, is read with its own schema into fields
/// of its own. Built once (sources declare their paths when the registry is created) and read-only afterwards.
/// </summary>
internal sealed class EventSchema
{
    internal const string FirstElement = "[0]";

    private readonly List<Node> nodes = [new Node(null)];

    /// <summary>Gets the number of fields declared.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Gets the schema of each element of the records array, when one was declared.</summary>
    public EventSchema? Records { get; private set; }

    internal Node Root => this.nodes[0];

    /// <summary>Computes what the reader needs from the finished tree (the fields below each node); call once, after every declaration.</summary>
    public EventSchema Freeze()
    {
        Collect(this.Root);
        this.Records?.Freeze();
        return this;

        static List<int> Collect(Node node)
        {
            var below = new List<int>();
            foreach (var child in node.Children)
            {
                AddWithChild(below, child);
            }

            if (node.FirstElementChild is { } first)
            {
                AddWithChild(below, first);
            }

            node.Descendants = [.. below];
            return below;
        }

        static void AddWithChild(List<int> below, Node child)
        {
            if (child.Field >= 0)
            {
                below.Add(child.Field);
            }

            below.AddRange(Collect(child));
        }
    }

    /// <summary>Declares a path (member names from the root; <c>[0]</c> for an array's first element) and returns its field.</summary>
    public int Field(params string[] path)
    {
        // The tree is the index: a path declared again (by another source) ends at the node that already has its field.
        var node = this.Root;
        foreach (var name in path)
        {
            node = node.Child(name, this.nodes);
        }

        if (node.Field < 0)
        {
            node.Field = this.FieldCount++;
        }

        return node.Field;
    }

    /// <summary>Declares an array member whose elements are read as records with their own schema (at most one per schema).</summary>
    /// <returns>The field of the array itself (its element count is its <see cref="EventField.Count"/>).</returns>
    public int DeclareRecords(string name, EventSchema recordSchema)
    {
        if (this.Records is not null && !ReferenceEquals(this.Records, recordSchema))
        {
            throw new InvalidOperationException("one records array per schema");
        }

        this.Records = recordSchema;
        var field = this.Field(name);
        this.Root.Child(name, this.nodes).IsRecords = true;
        return field;
    }

    /// <summary>A member name in the tree: its children, and the field its value goes to (-1 when only a way through).</summary>
    internal sealed class Node
    {
        private Node[] children = [];

        public Node(string? name)
        {
            this.Name = name is null ? [] : Encoding.UTF8.GetBytes(name);
            this.IsFirstElement = name == FirstElement;
        }

        public byte[] Name { get; }

        public bool IsFirstElement { get; }

        public int Field { get; set; } = -1;

        public bool IsRecords { get; set; }

        /// <summary>Gets the fields declared below this node: a repeated member replaces what an earlier one left there.</summary>
        public int[] Descendants { get; set; } = [];

        public Node? FirstElementChild { get; private set; }

        public ReadOnlySpan<Node> Children => this.children;

        public bool HasChildren => this.children.Length > 0 || this.FirstElementChild is not null;

        public Node? Find(ReadOnlySpan<byte> name)
        {
            foreach (var child in this.children)
            {
                if (name.SequenceEqual(child.Name))
                {
                    return child;
                }
            }

            return null;
        }

        public Node Child(string name, List<Node> all)
        {
            if (name == FirstElement)
            {
                if (this.FirstElementChild is null)
                {
                    this.FirstElementChild = new Node(name);
                    all.Add(this.FirstElementChild);
                }

                return this.FirstElementChild;
            }

            // Looked up without a copy of its own: most declarations go through members declared before.
            var max = Encoding.UTF8.GetMaxByteCount(name.Length);
            var utf8 = max <= 256 ? stackalloc byte[256] : new byte[max];
            if (this.Find(utf8[..Encoding.UTF8.GetBytes(name, utf8)]) is { } existing)
            {
                return existing;
            }

            var node = new Node(name);
            this.children = [.. this.children, node];
            all.Add(node);
            return node;
        }
    }
}

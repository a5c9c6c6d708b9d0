// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using Datadog.Otel.Lambda.AwsSdk.SpanPointers;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.SpanPointers;

/// <summary>
/// Producer-side DynamoDB pointer hashes from request bodies in AWSSDK.DynamoDBv2's JSON shape (binary values are
/// base64 in the body and hashed as raw bytes), checked against the spec's vectors (dd-trace-py's test cases).
/// </summary>
public class DynamoDbWritePointersTests
{
    private static readonly DynamoDbPrimaryKeys Keys = DynamoDbPrimaryKeys.Parse("DD_TRACE_DYNAMODB_TABLE_PRIMARY_KEYS", "{\"OneKeyTable\":[\"name\"],\"TwoKeyTable\":[\"id\",\"binary\"]}");

    private static readonly string HelloWorld1 = Convert.ToBase64String(Encoding.UTF8.GetBytes("Hello world 1"));

    [Fact]
    public void PutItemUsesTheConfiguredKeyNames()
    {
        Assert.Equal(["27f424c8202ab35efbf8b0b444b1928f"], Collect("PutItem", "{\"Item\":{\"name\":{\"S\":\"test1\"},\"other\":{\"S\":\"x\"}},\"TableName\":\"OneKeyTable\"}"));
        Assert.Equal(["cc32f0e49ee05d3f2820ccc999bfe306"], Collect("PutItem", $"{{\"Item\":{{\"binary\":{{\"B\":\"{HelloWorld1}\"}},\"id\":{{\"N\":\"1\"}},\"v\":{{\"S\":\"x\"}}}},\"TableName\":\"TwoKeyTable\"}}"));
    }

    [Fact]
    public void PutItemOfATableWithoutConfiguredKeysHasNoPointer()
    {
        Assert.Empty(Collect("PutItem", "{\"Item\":{\"name\":{\"S\":\"test1\"}},\"TableName\":\"Unknown\"}"));
    }

    [Theory]
    [InlineData("UpdateItem")]
    [InlineData("DeleteItem")]
    public void UpdateAndDeleteUseTheKey(string operation)
    {
        Assert.Equal(["7f1aee721472bcb48701d45c7c7f7821"], Collect(operation, "{\"Key\":{\"some-key\":{\"S\":\"some-value\"}},\"TableName\":\"some-table\"}"));
        Assert.Equal(["7aa1b80b0e49bd2078a5453399f4dd67"], Collect(operation, "{\"Key\":{\"some-key\":{\"S\":\"some-value\"},\"other-key\":{\"N\":\"123\"}},\"TableName\":\"some-table\"}"));
    }

    [Fact]
    public void BatchWriteAndTransactWriteGiveOnePointerPerWrite()
    {
        var batch = Collect("BatchWriteItem", "{\"RequestItems\":{\"OneKeyTable\":[{\"PutRequest\":{\"Item\":{\"name\":{\"S\":\"test1\"}}}}],\"some-table\":[{\"DeleteRequest\":{\"Key\":{\"some-key\":{\"S\":\"some-value\"}}}}]}}");
        var transact = Collect("TransactWriteItems", "{\"TransactItems\":[{\"ConditionCheck\":{\"Key\":{\"a\":{\"S\":\"b\"}},\"TableName\":\"t\"}},{\"Put\":{\"Item\":{\"name\":{\"S\":\"test1\"}},\"TableName\":\"OneKeyTable\"}},{\"Update\":{\"Key\":{\"some-key\":{\"N\":\"123.456\"}},\"TableName\":\"some-table\"}}]}");

        Assert.Equal(["27f424c8202ab35efbf8b0b444b1928f", "7f1aee721472bcb48701d45c7c7f7821"], batch);
        Assert.Equal(["27f424c8202ab35efbf8b0b444b1928f", "434a6dba3997ce4dbbadc98d87a0cc24"], transact);
    }

    [Theory]
    [InlineData("{\"Key\":{\"a\":{\"S\":\"1\"},\"b\":{\"S\":\"2\"},\"c\":{\"S\":\"3\"}},\"TableName\":\"t\"}")]
    [InlineData("{\"Key\":{\"a\":{\"BOOL\":true}},\"TableName\":\"t\"}")]
    [InlineData("{\"Key\":{\"a\":{\"S\":\"1\"}}}")]
    [InlineData("{\"Key\":[],\"TableName\":\"t\"}")]
    public void KeysThatCannotBeHashedGiveNoPointer(string body)
    {
        Assert.Empty(Collect("UpdateItem", body));
    }

    private static List<string> Collect(string operation, string body)
    {
        var hashes = new List<string>();
        DynamoDbWritePointers.Collect(operation, Encoding.UTF8.GetBytes(body), Keys, hashes);
        return hashes;
    }
}

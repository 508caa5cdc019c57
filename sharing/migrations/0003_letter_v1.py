"""The first commitment letter (个人承诺书), version 1. Later versions are published by officials in the admin.

The text is copied here as it was when this migration was written; a migration must not depend on live code.
"""

from django.db import migrations

TITLE = "职工基本医疗保险个人账户家庭共济个人承诺书"
BODY = """本人自愿将本人职工基本医疗保险个人账户授权给下列家庭成员共同使用（家庭共济），并郑重承诺：

一、本人所填报的本人及共济使用人的姓名、公民身份号码及双方关系均真实、准确、完整；共济使用人与本人确为父母、配偶、子女（或政策允许的其他近亲属）关系。

二、本人已知悉：个人账户资金仅可用于支付共济使用人在定点医疗机构就医、在定点零售药店购药发生的由个人负担的医疗费用，以及政策规定的其他用途；医保卡（医保电子凭证）仅限本人使用，不得出租、出借。

三、本人已知悉：绑定生效后，共济使用人结算时将按规定顺序使用本人个人账户余额，已支付的费用不予退回本人个人账户（退费除外）；本人可随时在“授权记录”中解除绑定，解除后即时生效。

四、配偶关系的绑定须经配偶本人确认同意后方可生效；配偶在规定期限内未确认的，申请自动失效。

五、如提供虚假材料、冒用他人身份或将个人账户资金用于违法违规用途，本人愿承担由此产生的全部法律责任，医保经办机构有权解除绑定、追回违规资金，并依照《医疗保障基金使用监督管理条例》等规定处理。

六、本人同意医保经办机构为办理家庭共济业务查询、核验本人及共济使用人的参保信息，并向双方发送办理结果通知。

以上承诺，本人已仔细阅读并完全理解，签名确认。"""


def seed(apps, schema_editor):
    CommitmentLetter = apps.get_model("sharing", "CommitmentLetter")
    CommitmentLetter.objects.get_or_create(version=1, defaults={"title": TITLE, "body": BODY})


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_signed_records_immutable")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
